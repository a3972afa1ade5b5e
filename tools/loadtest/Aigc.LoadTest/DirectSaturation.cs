using Aigc.Imaging;
using Aigc.Neural;
using Aigc.Platform;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.LoadTest;

/// <summary>
/// The service without HTTP: bulk jobs (64 images each unless told) written straight into the portal's queue (as a second portal would), the
/// portal's worker (or the `aigc worker` processes) saturated; throughput from the stored images' own timestamps, first to last.
/// </summary>
public static class DirectSaturation
{
    public static async Task<double> ImagesPerSecondAsync(
        string dataDirectory, LoadDatabase database, int jobs, int size, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string?> { ["Platform:DataDirectory"] = dataDirectory, ["Queue:RunWorker"] = "false" };
        foreach (var (key, value) in database.Settings)
            settings[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        await using var services = new ServiceCollection().AddLogging()
            .AddNeural(configuration).AddImaging(configuration).AddPlatform(configuration)
            .BuildServiceProvider();
        var ids = new List<Guid>();
        await using (var scope = services.CreateAsyncScope())
        {
            var queue = scope.ServiceProvider.GetRequiredService<GenerationQueue>();
            for (var i = 0; i < jobs; i++)
            {
                var conditions = new Dictionary<string, string> { ["part"] = "flange", ["view"] = "front", ["complexity"] = "medium" };
                // 1,024 images per requester keep each within an admin's cap on queued images.
                var requester = new Requester($"load-direct-{i * size / 1024}", [PortalRoles.Admin]);
                ids.Add((await queue.EnqueueAsync(new GenerationRequest("blueprints-64", conditions, size, 1000L * i, "default", JobPriority.Bulk), requester, cancellationToken)).Id);
            }
        }

        var factory = services.GetRequiredService<IDbContextFactory<PortalDbContext>>();
        while (true)
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            var open = await db.GenerationJobs.CountAsync(j => ids.Contains(j.Id) && (j.Status == JobStatus.Queued || j.Status == JobStatus.Running), cancellationToken);
            if (open == 0)
            {
                var times = await db.Blueprints.Where(b => ids.Contains(b.JobId)).Select(b => b.CreatedAt).ToListAsync(cancellationToken);
                var failed = await db.GenerationJobs.CountAsync(j => ids.Contains(j.Id) && j.Status != JobStatus.Completed, cancellationToken);
                if (failed > 0 || times.Count != jobs * size)
                    throw new InvalidOperationException($"Direct saturation: {failed} jobs did not complete, {times.Count} images of {jobs * size}.");
                // The first batch's images share the first timestamp: the rate is what came after it.
                var first = times.Min();
                return times.Count(t => t > first) / (times.Max() - first).TotalSeconds;
            }

            await Task.Delay(50, cancellationToken);
        }
    }
}
