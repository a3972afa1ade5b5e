namespace Aigc.Platform.Queue;

/// <summary>
/// The batches a worker handed to post-processing and storing, oldest first. Post-processing runs one batch at a
/// time, so a preview's images never queue behind two batches' (decision 0009); a batch's disk syncs and commit
/// overlap the next ones' post-processing, up to <c>limit</c> batches in all.
/// </summary>
public sealed class StoringQueue(int limit)
{
    private readonly Queue<(Task Rendered, Task<List<Guid>> Stored)> _batches = new();

    public int Count => _batches.Count;

    /// <summary>A batch that ends before all its images were post-processed (a fault) counts as rendered.</summary>
    public void Add(BatchRendering rendering, Task<List<Guid>> stored) =>
        _batches.Enqueue((Task.WhenAny(rendering.Done, stored), stored));

    /// <summary>
    /// Waits until the newest batch is post-processed and fewer than <c>limit</c> batches are being stored; returns
    /// the jobs that ended in the batches stored meanwhile (or before). Throws what storing a batch threw.
    /// </summary>
    public async Task<List<Guid>> MakeRoomAsync()
    {
        if (_batches.Count > 0)
            await _batches.Last().Rendered;
        var ended = new List<Guid>();
        while (_batches.Count >= limit || _batches.Count > 0 && _batches.Peek().Stored.IsCompleted)
            ended.AddRange(await _batches.Dequeue().Stored);
        return ended;
    }

    /// <summary>Waits for every batch to be stored; returns the jobs that ended.</summary>
    public async Task<List<Guid>> DrainAsync()
    {
        var ended = new List<Guid>();
        while (_batches.Count > 0)
            ended.AddRange(await _batches.Dequeue().Stored);
        return ended;
    }

    /// <summary>The storing tasks not yet awaited, for a loop that is leaving (its fault or stop goes on up).</summary>
    public IEnumerable<Task> Pending => _batches.Select(b => (Task)b.Stored);
}

/// <summary>Counts a batch's images out of post-processing, done or failed.</summary>
public sealed class BatchRendering
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _left;

    public BatchRendering(int images)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(images, 1);
        _left = images;
    }

    public Task Done => _done.Task;

    public void ImageDone()
    {
        var left = Interlocked.Decrement(ref _left);
        if (left < 0)
            throw new InvalidOperationException("More images were post-processed than the batch holds.");
        if (left == 0)
            _done.SetResult();
    }
}
