using Aigc.Platform.Queue;
using Aigc.Testing;

namespace Aigc.Platform.Tests.Queue;

/// <summary>LISTEN/NOTIFY carries the queue's wake-ups between processes that share a PostgreSQL database.</summary>
public sealed class QueueNotificationTests : IDisposable
{
    private static readonly Dictionary<string, string> Gear = new() { ["part"] = "spur_gear", ["view"] = "front", ["complexity"] = "low" };
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [PostgresFact]
    public async Task A_job_queued_or_stored_by_one_process_wakes_the_waiters_of_another_at_once()
    {
        var data = _folder.Sub("data");
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Postgres",
            ["Database:ConnectionString"] = TestProvider.PostgresDatabaseFor(data),
        };
        await using var portal = await ServiceHost.StartAsync(data, settings);
        await using var worker = new ServiceHost(data, settings);
        await portal.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Path, 1), "v1");
        var portalSide = await ListenAsync(portal);
        var workerSide = await ListenAsync(worker);

        // The signals only ever complete through a pulse (polling is the waiters' business), so each of these waits
        // ends only because the other process's pulse arrived.
        var idle = worker.Get<QueueSignal>().NextQueued;
        var job = await portal.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 1), ServiceHost.Alice);
        await idle.WaitAsync(Patience);

        var watcher = portal.Get<QueueSignal>().NextProgressedFor(job.Id);
        var otherJob = portal.Get<QueueSignal>().NextProgressedFor(Guid.NewGuid());
        worker.Get<QueueSignal>().PulseJob(job.Id);
        await watcher.WaitAsync(Patience);
        Assert.False(otherJob.IsCompleted);

        var progressed = portal.Get<QueueSignal>().NextProgressed;
        worker.Get<QueueSignal>().PulseProgressed();
        await progressed.WaitAsync(Patience);
        await otherJob.WaitAsync(Patience);

        await portalSide.StopAsync(CancellationToken.None);
        await workerSide.StopAsync(CancellationToken.None);
    }

    private static async Task<PostgresQueueNotifications> ListenAsync(ServiceHost host)
    {
        var notifications = host.Get<PostgresQueueNotifications>();
        await notifications.StartAsync(CancellationToken.None);
        await notifications.Listening.WaitAsync(Patience);
        return notifications;
    }
}
