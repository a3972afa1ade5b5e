using System.Collections.Concurrent;

namespace Aigc.Platform.Queue;

/// <summary>
/// In-process wake-ups: a job was queued (the worker stops idling), a batch was stored or a job ended (progress
/// watchers look again), one job's images were stored (only that job's watchers look again). On PostgreSQL every pulse
/// also travels to the other processes on the database (<see cref="PostgresQueueNotifications"/>, LISTEN/NOTIFY); on
/// SQLite other processes are only seen by polling, and polling stays the fallback everywhere, so every wait has a
/// timeout. Take the task before reading the state it guards, then wait on it: a pulse in between is not missed.
/// </summary>
public sealed class QueueSignal
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _jobs = new();
    private TaskCompletionSource _queued = NewSource();
    private TaskCompletionSource _progressed = NewSource();
    private long _version;

    /// <summary>
    /// Counts the pulses of every kind. A reading of the queue taken while this stayed the same has missed no change
    /// made in this process (each pulse counts before it wakes anyone).
    /// </summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>Completes at the next <see cref="PulseQueued"/>.</summary>
    public Task NextQueued => Volatile.Read(ref _queued).Task;

    /// <summary>Completes at the next <see cref="PulseProgressed"/>.</summary>
    public Task NextProgressed => Volatile.Read(ref _progressed).Task;

    /// <summary>Completes at the next <see cref="PulseProgressed"/> or <see cref="PulseJob"/> of this job.</summary>
    public Task NextProgressedFor(Guid jobId) =>
        Task.WhenAny(NextProgressed, _jobs.GetOrAdd(jobId, _ => NewSource()).Task);

    /// <summary>Receives every pulse made in this process, to pass it on to others (null: none listens).</summary>
    internal Action<string>? Relay { get; set; }

    /// <summary>Wakes the watchers of one job only: storing a job's images must not wake every watcher in the process.</summary>
    public void PulseJob(Guid jobId)
    {
        WakeJob(jobId);
        Relay?.Invoke(JobPayloadPrefix + jobId.ToString("N"));
    }

    public void PulseQueued()
    {
        WakeQueued();
        Relay?.Invoke(QueuedPayload);
    }

    public void PulseProgressed()
    {
        WakeProgressed();
        Relay?.Invoke(ProgressedPayload);
    }

    internal const string QueuedPayload = "queued";
    internal const string ProgressedPayload = "progressed";
    internal const string JobPayloadPrefix = "job:";

    /// <summary>A pulse made in another process: wakes the waiters here without passing it on again. Unknown ones are ignored.</summary>
    internal void Receive(string payload)
    {
        if (payload == QueuedPayload)
            WakeQueued();
        else if (payload == ProgressedPayload)
            WakeProgressed();
        else if (payload.StartsWith(JobPayloadPrefix, StringComparison.Ordinal) && Guid.TryParseExact(payload[JobPayloadPrefix.Length..], "N", out var job))
            WakeJob(job);
    }

    private void WakeJob(Guid jobId)
    {
        Interlocked.Increment(ref _version);
        if (_jobs.TryRemove(jobId, out var source))
            source.TrySetResult();
    }

    /// <summary>Drops a job's wake-up when its last watcher leaves; a watcher still waiting on it wakes at the next general pulse.</summary>
    public void Forget(Guid jobId) => _jobs.TryRemove(jobId, out _);

    private void WakeQueued()
    {
        Interlocked.Increment(ref _version);
        Interlocked.Exchange(ref _queued, NewSource()).TrySetResult();
    }

    private void WakeProgressed()
    {
        Interlocked.Increment(ref _version);
        Interlocked.Exchange(ref _progressed, NewSource()).TrySetResult();
    }

    /// <summary>Waits for <paramref name="signal"/> or the timeout, whichever comes first; throws only on cancellation.</summary>
    public static async Task WaitAsync(Task signal, TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        try
        {
            await signal.WaitAsync(timeout, clock, cancellationToken);
        }
        catch (TimeoutException)
        {
        }
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
