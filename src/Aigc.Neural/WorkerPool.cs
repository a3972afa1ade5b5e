namespace Aigc.Neural;

/// <summary>
/// Runs one statically partitioned job at a time on dedicated background threads: the caller runs part 0, worker i
/// runs part i, and the caller blocks until all are done. Unlike Parallel.For it allocates nothing per job beyond the
/// caller's delegate, and its workers block (no spinning) between jobs. Jobs must not start other jobs.
/// </summary>
internal sealed class WorkerPool
{
    private static readonly Dictionary<int, WorkerPool> Pools = [];
    private readonly SemaphoreSlim[] _start;
    private readonly CountdownEvent _done = new(1);
    private readonly Lock _jobLock = new();
    private Action<int>? _body;
    private Exception? _failure;

    private WorkerPool(int threads)
    {
        Threads = threads;
        _start = new SemaphoreSlim[threads - 1];
        for (var i = 0; i < _start.Length; i++)
        {
            _start[i] = new SemaphoreSlim(0);
            var part = i + 1;
            new Thread(() => Work(part)) { IsBackground = true, Name = $"aigc-neural-{part}/{threads}" }.Start();
        }
    }

    public int Threads { get; }

    /// <summary>The process-wide pool for a thread count (pools are shared so engines do not multiply threads).</summary>
    public static WorkerPool For(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        lock (Pools)
        {
            if (!Pools.TryGetValue(threads, out var pool))
                Pools[threads] = pool = new WorkerPool(threads);
            return pool;
        }
    }

    /// <summary>Runs body(0..parts−1), parts ≤ Threads, and rethrows the first failure.</summary>
    public void Run(int parts, Action<int> body)
    {
        if (parts > Threads)
            throw new ArgumentOutOfRangeException(nameof(parts), $"{parts} parts for a pool of {Threads} threads.");
        if (parts <= 1)
        {
            body(0);
            return;
        }

        lock (_jobLock)
        {
            _body = body;
            _failure = null;
            _done.Reset(parts - 1);
            for (var i = 1; i < parts; i++)
                _start[i - 1].Release();
            try
            {
                body(0);
            }
            finally
            {
                _done.Wait();
                _body = null;
            }

            if (_failure is not null)
                throw new AggregateException("A parallel part of a neural operation failed.", _failure);
        }
    }

    private void Work(int part)
    {
        while (true)
        {
            _start[part - 1].Wait();
            try
            {
                _body!(part);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
            }
            finally
            {
                _done.Signal();
            }
        }
    }
}
