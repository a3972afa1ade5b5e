namespace Aigc.Neural.Tests;

public class WorkerPoolTests
{
    [Fact]
    public void Every_part_runs_once_per_job_even_with_concurrent_callers()
    {
        var pool = WorkerPool.For(3);
        var totals = new long[8];
        Parallel.For(0, 8, caller =>
        {
            for (var job = 0; job < 200; job++)
            {
                var hits = new int[3];
                pool.Run(3, part => Interlocked.Increment(ref hits[part]));
                Assert.Equal([1, 1, 1], hits);
                totals[caller] += hits.Sum();
            }
        });
        Assert.All(totals, t => Assert.Equal(600, t));
    }

    [Fact]
    public void A_failing_part_is_rethrown_and_the_pool_keeps_working()
    {
        var pool = WorkerPool.For(2);
        var e = Assert.Throws<AggregateException>(() => pool.Run(2, part =>
        {
            if (part == 1)
                throw new InvalidOperationException("part 1 failed");
        }));
        Assert.Equal("part 1 failed", e.InnerException!.Message);
        var ran = 0;
        pool.Run(2, _ => Interlocked.Increment(ref ran));
        Assert.Equal(2, ran);
        Assert.Throws<ArgumentOutOfRangeException>(() => pool.Run(3, _ => { }));
    }
}
