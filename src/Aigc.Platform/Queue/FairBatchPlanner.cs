using Aigc.Platform.Data;

namespace Aigc.Platform.Queue;

/// <summary>
/// Chooses the images of the next batch from the jobs a worker holds. A batch has one model version (that of the
/// most urgent job). Interactive images go before bulk ones; within a priority, users take turns of up to
/// <c>imagesPerTurn</c> images (the turn order rotates between batches), and each user's own jobs go oldest first.
/// So a 4-image preview submitted after a 64-image job shares the very next batch with it instead of waiting for it.
/// </summary>
public sealed class FairBatchPlanner(int imagesPerTurn)
{
    private readonly int _imagesPerTurn = imagesPerTurn >= 1 ? imagesPerTurn : throw new ArgumentOutOfRangeException(nameof(imagesPerTurn), $"A turn takes at least one image, not {imagesPerTurn}.");
    private readonly Dictionary<Guid, PlannedJob> _jobs = [];
    private int _turn;

    public int JobCount => _jobs.Count;

    public int PendingImages => _jobs.Values.Sum(j => j.Pending.Count);

    public IReadOnlyCollection<Guid> JobIds => _jobs.Keys;

    /// <summary>The users with images not yet handed to a batch.</summary>
    public IReadOnlySet<string> UsersWithPendingImages =>
        _jobs.Values.Where(j => j.Pending.Count > 0).Select(j => j.Job.UserId).ToHashSet(StringComparer.Ordinal);

    public PlannedJob? Find(Guid id) => _jobs.GetValueOrDefault(id);

    /// <summary>Adds a claimed job with the indices still to make; a job already held is left as it is.</summary>
    public void Add(GenerationJob job, IReadOnlySet<int> doneIndices)
    {
        if (_jobs.ContainsKey(job.Id))
            return;
        var pending = new Queue<int>(Enumerable.Range(0, job.Count).Where(i => !doneIndices.Contains(i)));
        _jobs[job.Id] = new PlannedJob(job, pending);
    }

    /// <summary>Forgets a job (finished, cancelled, failed or lost); images of it already in a batch are refused when stored.</summary>
    public void Remove(Guid id) => _jobs.Remove(id);

    public IReadOnlyList<PlannedImage> NextBatch(int maxSize)
    {
        var open = _jobs.Values.Where(j => j.Pending.Count > 0).ToList();
        if (open.Count == 0)
            return [];
        var lead = open.OrderBy(j => j.Job.Priority).ThenBy(j => j.Job.CreatedAt).First();
        var model = lead.Job.ModelSha256;
        var batch = new List<PlannedImage>(maxSize);
        foreach (var tier in open.Where(j => j.Job.ModelSha256 == model).GroupBy(j => j.Job.Priority).OrderBy(g => g.Key))
        {
            var users = tier.GroupBy(j => j.Job.UserId)
                .OrderBy(g => g.Min(j => j.Job.CreatedAt))
                .Select(g => g.OrderBy(j => j.Job.CreatedAt).ToList())
                .ToList();
            var start = _turn % users.Count;
            users = users.Skip(start).Concat(users.Take(start)).ToList();
            while (batch.Count < maxSize && users.Count > 0)
            {
                foreach (var jobs in users.ToList())
                {
                    if (batch.Count == maxSize)
                        break;
                    if (!TakeTurn(jobs, batch, maxSize))
                        users.Remove(jobs);
                }
            }

            if (batch.Count == maxSize)
                break;
        }

        _turn++;
        return batch;
    }

    /// <summary>Adds up to one turn's images of a user's jobs, oldest job first; false when the user has none left.</summary>
    private bool TakeTurn(List<PlannedJob> jobs, List<PlannedImage> batch, int maxSize)
    {
        var taken = 0;
        foreach (var job in jobs)
        {
            while (taken < _imagesPerTurn && batch.Count < maxSize && job.Pending.Count > 0)
            {
                batch.Add(new PlannedImage(job, job.Pending.Dequeue()));
                taken++;
            }
        }

        return taken > 0;
    }
}

/// <summary>A held job and the indices not yet handed to a batch.</summary>
public sealed record PlannedJob(GenerationJob Job, Queue<int> Pending);

public sealed record PlannedImage(PlannedJob Planned, int Index)
{
    public GenerationJob Job => Planned.Job;
}
