using Aigc.Platform.Data;

namespace Aigc.Platform.Queue;

/// <summary>
/// Records jobs' images as soon as each job's are ready, in one transaction for all jobs that became ready while the
/// previous one committed (group commit): alone, a job is stored at once; under load, the transactions, their
/// context and their read-back are shared. A group that fails is stored again job by job, so that one job's bad
/// rows fail that job only. Its stores stop with <paramref name="cancellationToken"/> (the worker's).
/// </summary>
public sealed class GroupCommit(JobLeases leases, CancellationToken cancellationToken)
{
    private readonly Lock _gate = new();
    private List<Waiting> _waiting = [];
    private bool _storing;

    /// <summary>Completes when this job's images are committed (or refused); throws what storing them threw.</summary>
    public Task<StoreOutcome> StoreAsync(Guid jobId, IReadOnlyList<Blueprint> images)
    {
        var waiting = new Waiting(new JobImages(jobId, images), new TaskCompletionSource<StoreOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        bool start;
        lock (_gate)
        {
            _waiting.Add(waiting);
            start = !_storing;
            _storing = true;
        }

        // SQLite's asynchronous calls run on the calling thread: the loop gets a thread of its own, not the caller's.
        if (start)
            _ = Task.Run(StoreWaitingAsync, CancellationToken.None);
        return waiting.Stored.Task;
    }

    private async Task StoreWaitingAsync()
    {
        while (true)
        {
            List<Waiting> group;
            lock (_gate)
            {
                if (_waiting.Count == 0)
                {
                    _storing = false;
                    return;
                }

                // A job with images from two batches (both being stored) goes in the next group with its later ones:
                // a transaction records each job's images in one piece.
                var jobs = new HashSet<Guid>();
                group = [];
                var later = new List<Waiting>();
                foreach (var waiting in _waiting)
                    (jobs.Add(waiting.Job.JobId) ? group : later).Add(waiting);
                _waiting = later;
            }

            await StoreGroupAsync(group);
        }
    }

    private async Task StoreGroupAsync(List<Waiting> group)
    {
        try
        {
            var outcomes = await leases.StoreAsync(group.Select(w => w.Job).ToList(), cancellationToken);
            foreach (var waiting in group)
                waiting.Stored.TrySetResult(outcomes[waiting.Job.JobId]);
        }
        catch (OperationCanceledException e)
        {
            foreach (var waiting in group)
                waiting.Stored.TrySetCanceled(e.CancellationToken);
        }
        catch (Exception) when (group.Count > 1)
        {
            foreach (var waiting in group)
                await StoreGroupAsync([waiting]);
        }
        catch (Exception e)
        {
            group[0].Stored.TrySetException(e);
        }
    }

    private sealed record Waiting(JobImages Job, TaskCompletionSource<StoreOutcome> Stored);
}
