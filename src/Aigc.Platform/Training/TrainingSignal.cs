using System.Collections.Concurrent;

namespace Aigc.Platform.Training;

/// <summary>
/// In-process wake-ups for training: a run was queued or resumed (the idle training worker looks), a run changed
/// (its watchers look again). Other processes are seen by polling, so every wait has a timeout.
/// </summary>
public sealed class TrainingSignal
{
    private readonly ConcurrentDictionary<Guid, TaskCompletionSource> _runs = new();
    private TaskCompletionSource _queued = NewSource();

    public Task NextQueued => Volatile.Read(ref _queued).Task;

    public Task NextChangeOf(Guid runId) => _runs.GetOrAdd(runId, _ => NewSource()).Task;

    public void PulseQueued() => Interlocked.Exchange(ref _queued, NewSource()).TrySetResult();

    public void PulseRun(Guid runId)
    {
        if (_runs.TryRemove(runId, out var source))
            source.TrySetResult();
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
