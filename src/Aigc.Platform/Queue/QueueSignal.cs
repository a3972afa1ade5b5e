using System.Collections.Concurrent;

namespace Aigc.Platform.Queue;

/// <summary>
/// In-process wake-ups: a job was queued (the worker stops idling), a batch was stored or a job ended (progress
/// watchers look again), one job's images were stored (only that job's watchers look again). Other processes
/// sharing the database are only seen by polling, so every wait has a timeout. Take the task before reading the
/// state it guards, then wait on it: a pulse in between is not missed.
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

    /// <summary>Wakes the watchers of one job only: storing a job's images must not wake every watcher in the process.</summary>
    public void PulseJob(Guid jobId)
    {
        Interlocked.Increment(ref _version);
        if (_jobs.TryRemove(jobId, out var source))
            source.TrySetResult();
    }

    /// <summary>Drops a job's wake-up when its last watcher leaves; a watcher still waiting on it wakes at the next general pulse.</summary>
    public void Forget(Guid jobId) => _jobs.TryRemove(jobId, out _);

    public void PulseQueued()
    {
        Interlocked.Increment(ref _version);
        Interlocked.Exchange(ref _queued, NewSource()).TrySetResult();
    }

    public void PulseProgressed()
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
