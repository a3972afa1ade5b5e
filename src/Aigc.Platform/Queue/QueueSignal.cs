namespace Aigc.Platform.Queue;

/// <summary>
/// In-process wake-ups: a job was queued (the worker stops idling), images were stored or a job ended (progress
/// watchers look again). Other processes sharing the database are only seen by polling, so every wait has a timeout.
/// Take the task before reading the state it guards, then wait on it: a pulse in between is not missed.
/// </summary>
public sealed class QueueSignal
{
    private TaskCompletionSource _queued = NewSource();
    private TaskCompletionSource _progressed = NewSource();

    /// <summary>Completes at the next <see cref="PulseQueued"/>.</summary>
    public Task NextQueued => Volatile.Read(ref _queued).Task;

    /// <summary>Completes at the next <see cref="PulseProgressed"/>.</summary>
    public Task NextProgressed => Volatile.Read(ref _progressed).Task;

    public void PulseQueued() => Interlocked.Exchange(ref _queued, NewSource()).TrySetResult();

    public void PulseProgressed() => Interlocked.Exchange(ref _progressed, NewSource()).TrySetResult();

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
