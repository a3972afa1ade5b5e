using Aigc.Imaging;
using Aigc.Neural;
using Aigc.Platform;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Cli.Commands;

/// <summary>
/// Runs the generation scheduler in this process until the given jobs have ended, then hands back whatever it still
/// held, so a command works the same queue as the portal, with or without a portal running beside it.
/// </summary>
public static class InProcessWorker
{
    /// <summary>What a worker needs (engine, imaging, platform), configured like the portal; --data overrides the data directory.</summary>
    public static ServiceProvider Services(FileInfo? config, DirectoryInfo? data, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = CliConfiguration.Load(config);
        if (data is not null)
            builder.AddInMemoryCollection([new($"{PlatformOptions.SectionName}:{nameof(PlatformOptions.DataDirectory)}", data.FullName)]);
        if (settings is not null)
            builder.AddInMemoryCollection(settings);
        var configuration = builder.Build();
        return new ServiceCollection()
            .AddLogging()
            .AddNeural(configuration)
            .AddImaging(configuration)
            .AddPlatform(configuration)
            .BuildServiceProvider();
    }

    public static async Task RunUntilEndedAsync(IServiceProvider services, IReadOnlyCollection<Guid> jobs, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var scheduler = services.GetRequiredService<GenerationScheduler>();
        var worker = scheduler.RunAsync(stop.Token);
        var databases = services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        try
        {
            while (true)
            {
                await using (var db = await databases.CreateDbContextAsync(cancellationToken))
                {
                    if (!await db.GenerationJobs.AnyAsync(j => jobs.Contains(j.Id) && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running), cancellationToken))
                        break;
                }

                if (worker.IsFaulted)
                    await worker;
                await Task.Delay(50, cancellationToken);
            }
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await worker;
            }
            catch (OperationCanceledException)
            {
            }

            await scheduler.Leases.ReleaseAllAsync(CancellationToken.None);
        }
    }
}
