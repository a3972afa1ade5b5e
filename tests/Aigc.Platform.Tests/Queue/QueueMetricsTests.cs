using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Tests.Queue;

public sealed class QueueMetricsTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Percentiles_are_nearest_rank()
    {
        var values = Enumerable.Range(1, 20).Select(i => TimeSpan.FromMilliseconds(i * 10)).ToArray();

        var summary = LatencySummary.Of(values.Reverse());

        Assert.Equal(20, summary.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(100), summary.P50);
        Assert.Equal(TimeSpan.FromMilliseconds(190), summary.P95);
        Assert.Equal(TimeSpan.FromMilliseconds(10), LatencySummary.Percentile([TimeSpan.FromMilliseconds(10)], 0.95));
        Assert.Equal(TimeSpan.FromSeconds(3), LatencySummary.Percentile([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)], 0.95));
        Assert.Equal(new LatencySummary(0, null, null), LatencySummary.Of([]));
        Assert.Throws<ArgumentOutOfRangeException>(() => LatencySummary.Percentile(values, 0));
        Assert.Throws<ArgumentException>(() => LatencySummary.Percentile([], 0.5));
    }

    [Fact]
    public void Rates_cover_the_last_minute_and_latencies_the_recent_jobs_only()
    {
        var clock = new TickingClock();
        var metrics = new QueueMetrics(clock);
        clock.Advance(TimeSpan.FromMinutes(5));
        metrics.RecordBatch(8, TimeSpan.FromMilliseconds(50));
        metrics.RecordFirstImage(TimeSpan.FromSeconds(9));
        clock.Advance(TimeSpan.FromSeconds(90));
        for (var i = 0; i < 6; i++)
        {
            metrics.RecordBatch(4, TimeSpan.FromMilliseconds(50));
            metrics.RecordFirstImage(TimeSpan.FromSeconds(1 + i));
            metrics.RecordCompletion(TimeSpan.FromSeconds(2 + i));
            clock.Advance(TimeSpan.FromSeconds(5));
        }

        var snapshot = metrics.Snapshot();

        // The first batch is 2 min old: out of the rate window, in the latency horizon.
        Assert.Equal(6 / 60.0, snapshot.BatchesPerSecond, 6);
        Assert.Equal(24 / 60.0, snapshot.ImagesPerSecond, 6);
        Assert.Equal((7L, 32L), (snapshot.BatchesTotal, snapshot.ImagesTotal));
        Assert.Equal(7, snapshot.FirstImage.Count);
        Assert.Equal(TimeSpan.FromSeconds(4), snapshot.FirstImage.P50);
        Assert.Equal(TimeSpan.FromSeconds(9), snapshot.FirstImage.P95);
        Assert.Equal(TimeSpan.FromSeconds(7), snapshot.Completion.P95);

        clock.Advance(QueueMetrics.LatencyHorizon);
        var later = metrics.Snapshot();
        Assert.Equal((0, 0.0), (later.FirstImage.Count, later.ImagesPerSecond));
        Assert.Null(later.Completion.P50);
    }

    [Fact]
    public void Before_a_minute_has_passed_rates_are_over_the_time_since_start()
    {
        var clock = new TickingClock();
        var metrics = new QueueMetrics(clock);
        clock.Advance(TimeSpan.FromSeconds(10));
        metrics.RecordBatch(20, TimeSpan.FromMilliseconds(50));

        Assert.Equal(2.0, metrics.Snapshot().ImagesPerSecond, 6);
    }

    [Fact]
    public async Task The_worker_records_time_to_first_image_and_to_completion_once_per_job()
    {
        await using var host = await ServiceHost.StartAsync(_folder.Sub("data"));
        await host.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Path, 2), "v1");
        var conditions = new Dictionary<string, string> { ["part"] = "flange", ["view"] = "front", ["complexity"] = "low" };
        await host.EnqueueAsync(new GenerationRequest("blueprints-64", conditions, 12, 1, "plain"), ServiceHost.Alice);
        await host.EnqueueAsync(new GenerationRequest("blueprints-64", conditions, 3, 2, "plain"), ServiceHost.Bob);

        using var stop = new CancellationTokenSource();
        var run = host.Get<GenerationScheduler>().RunAsync(stop.Token);
        await host.WaitUntilAsync(async db => run.IsFaulted || await db.GenerationJobs.AllAsync(j => j.Status == JobStatus.Completed), "both jobs complete");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        var snapshot = host.Get<QueueMetrics>().Snapshot();
        Assert.Equal(2, snapshot.FirstImage.Count);
        Assert.Equal(2, snapshot.Completion.Count);
        Assert.True(snapshot.FirstImage.P95 <= snapshot.Completion.P95, $"first image {snapshot.FirstImage.P95} after completion {snapshot.Completion.P95}");
        Assert.True(snapshot.Completion.P50 > TimeSpan.Zero);
        Assert.Equal(15, snapshot.ImagesTotal);
        Assert.True(snapshot.BatchesPerSecond > 0 && snapshot.ImagesPerSecond > 0);
    }

    /// <summary>A clock whose timestamps move only when told (QueueMetrics measures with timestamps).</summary>
    private sealed class TickingClock : TimeProvider
    {
        private long _ticks = 1_000_000;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => _ticks;

        public void Advance(TimeSpan by) => _ticks += by.Ticks;
    }
}
