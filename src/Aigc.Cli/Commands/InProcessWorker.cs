using Aigc.Imaging;
using Aigc.Neural;
using Aigc.Observability;
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
    /// <summary>
    /// What a worker needs (engine, imaging, platform), configured like the portal
    /// (<see cref="CliConfiguration.ForWorker"/>); <paramref name="settings"/> win over both.
    /// </summary>
    public static ServiceProvider Services(FileInfo? config, DirectoryInfo? data,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var configuration = CliConfiguration.ForWorker(config, data, settings);
        var services = new ServiceCollection()
            .AddLogging()
            .AddNeural(configuration)
            .AddImaging(configuration)
            .AddPlatform(configuration)
            .AddObservability(configuration)
            .BuildServiceProvider();
        services.StartObservability();
        return services;
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
