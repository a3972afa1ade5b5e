using Aigc.Platform.Data;
using Aigc.Platform.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Queue;

/// <summary>
/// The hosted worker any host can run (the portal, `aigc worker`): registers the shipped models, warms the active
/// ones, then runs the scheduler; on a graceful stop it hands its jobs back to the queue.
/// </summary>
public sealed class GenerationWorker(
    GenerationScheduler scheduler, IServiceScopeFactory scopes, LoadedModels models, WorkerHeartbeat heartbeat, IOptions<QueueOptions> options,
    TimeProvider clock, ILogger<GenerationWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Registering checks weights with a smoke generation: not on the thread starting the host.
        await Task.Yield();
        await using (var scope = scopes.CreateAsyncScope())
        {
            var registry = scope.ServiceProvider.GetRequiredService<ModelRegistry>();
            try
            {
                await registry.RegisterShippedAsync(options.Value.ShippedModelsDirectory, stoppingToken);
            }
            catch (ModelRejectedException e)
            {
                logger.LogError("A shipped model under {Directory} was not registered: {Reason}", options.Value.ShippedModelsDirectory, e.Message);
            }

            var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
            foreach (var sha in await db.ModelVersions.Where(m => m.Status == ModelVersionStatus.Active).Select(m => m.WeightsSha256).ToListAsync(stoppingToken))
                models.Warm(sha);
        }

        if (!options.Value.RunWorker)
            return;
        logger.LogInformation("Generation worker {Worker} started", scheduler.Leases.Owner);
        var beating = BeatAsync(stoppingToken);
        try
        {
            await scheduler.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await scheduler.Leases.ReleaseAllAsync(CancellationToken.None);
            await beating;
            await heartbeat.GoneAsync(scheduler.Leases.Owner, CancellationToken.None);
            logger.LogInformation("Generation worker {Worker} stopped and handed its jobs back", scheduler.Leases.Owner);
        }
    }

    /// <summary>Reports this worker every Queue:HeartbeatSeconds until the host stops; a failed report is retried at the next.</summary>
    private async Task BeatAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.HeartbeatSeconds), clock);
        try
        {
            do
            {
                try
                {
                    var (jobs, images) = scheduler.Load;
                    await heartbeat.BeatAsync(scheduler.Leases.Owner, jobs, images, stoppingToken);
                }
                catch (Exception e) when (e is DbUpdateException or System.Data.Common.DbException or TimeoutException)
                {
                    logger.LogWarning(e, "Worker {Worker} could not report its heartbeat", scheduler.Leases.Owner);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
