using Aigc.Platform.Ads;

namespace Aigc.Platform.Tests.Ads;

public sealed class AdRenderCapacityTests
{
    [Fact]
    public async Task Work_beyond_the_capacity_waits_until_a_slot_is_free()
    {
        using var capacity = new AdRenderCapacity(1);
        using var firstStarted = new ManualResetEventSlim();
        using var releaseFirst = new ManualResetEventSlim();
        var running = 0;
        var mostAtOnce = 0;
        var secondRan = false;

        int Work(Action body)
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref mostAtOnce, now);
            body();
            Interlocked.Decrement(ref running);
            return now;
        }

        var first = capacity.RunAsync(() => Work(() => { firstStarted.Set(); releaseFirst.Wait(); }), CancellationToken.None);
        firstStarted.Wait();
        var second = capacity.RunAsync(() => Work(() => secondRan = true), CancellationToken.None);
        Assert.False(second.IsCompleted);
        Assert.False(secondRan);
        releaseFirst.Set();
        await Task.WhenAll(first, second);
        Assert.True(secondRan);
        Assert.Equal(1, mostAtOnce);
    }

    [Fact]
    public async Task Cancelled_work_that_has_not_started_never_runs()
    {
        using var capacity = new AdRenderCapacity(1);
        using var releaseFirst = new ManualResetEventSlim();
        using var firstStarted = new ManualResetEventSlim();
        var first = capacity.RunAsync(() => { firstStarted.Set(); releaseFirst.Wait(); return 1; }, CancellationToken.None);
        firstStarted.Wait();
        using var disconnected = new CancellationTokenSource();
        var ran = false;
        var waiting = capacity.RunAsync(() => ran = true, disconnected.Token);
        await disconnected.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        releaseFirst.Set();
        Assert.Equal(1, await first);
        Assert.False(ran);
        // The slot the cancelled caller waited for is still usable.
        Assert.Equal(2, await capacity.RunAsync(() => 2, CancellationToken.None));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        for (var current = Volatile.Read(ref target); value > current; current = Volatile.Read(ref target))
            if (Interlocked.CompareExchange(ref target, value, current) == current) return;
    }
}
