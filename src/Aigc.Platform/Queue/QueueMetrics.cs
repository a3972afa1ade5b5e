using System.Diagnostics.Metrics;
using Aigc.Platform.Telemetry;

namespace Aigc.Platform.Queue;

/// <summary>
/// The worker's counters, for expected waits (full queue, job ETA), the admin status page and the meters: totals since
/// start, batches and images per second over the last minute, and job latencies (to the first image, to completion)
/// over the most recent jobs. Each event is counted here once and published on the platform's meter as it happens.
/// </summary>
public sealed class QueueMetrics
{
    // Seconds: from a 64-px image's few milliseconds to a full queue's minutes.
    private static readonly InstrumentAdvice<double> LatencyBuckets = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    };

    private readonly TimeProvider _clock;
    private readonly Counter<long> _imagesCounter;
    private readonly Counter<long> _batchesCounter;
    private readonly Histogram<double> _batchDuration;
    private readonly Histogram<double> _firstImageDuration;
    private readonly Histogram<double> _completionDuration;

    /// <param name="meters">Where the instruments are created; without one (unit tests), a meter of its own.</param>
    public QueueMetrics(TimeProvider clock, IMeterFactory? meters = null)
    {
        _clock = clock;
        _started = clock.GetTimestamp();
        var meter = meters?.Create(PlatformTelemetry.Name) ?? new Meter(PlatformTelemetry.Name);
        _imagesCounter = meter.CreateCounter<long>("aigc.generation.images", "{image}",
            "Images generated and stored by this process's worker.");
        _batchesCounter = meter.CreateCounter<long>("aigc.generation.batches", "{batch}",
            "Batches this process's worker stored.");
        _batchDuration = meter.CreateHistogram("aigc.generation.batch.duration", "s",
            "A batch from the start of its engine pass until its images are stored.", advice: LatencyBuckets);
        _firstImageDuration = meter.CreateHistogram("aigc.job.first_image.duration", "s",
            "A job's request until its first image is stored.", advice: LatencyBuckets);
        _completionDuration = meter.CreateHistogram("aigc.job.completion.duration", "s",
            "A job's request until its last image is stored.", advice: LatencyBuckets);
    }

    /// <summary>The throughput window of the status page.</summary>
    public static readonly TimeSpan RateWindow = TimeSpan.FromMinutes(1);

    /// <summary>Latency percentiles cover at most this many recent jobs, and none older than <see cref="LatencyHorizon"/>.</summary>
    public const int LatencySamples = 500;

    public static readonly TimeSpan LatencyHorizon = TimeSpan.FromMinutes(15);

    // Gaps longer than this between batches are idle time, not work: they do not lower the recent rate.
    private static readonly TimeSpan IdleGap = TimeSpan.FromSeconds(2);

    private readonly long _started;
    private readonly Lock _gate = new();
    private readonly Queue<(long At, int Images)> _recentBatches = new();
    private readonly Queue<(long At, TimeSpan Latency)> _firstImage = new();
    private readonly Queue<(long At, TimeSpan Latency)> _completion = new();
    private long _images;
    private long _batches;
    private long? _lastBatchAt;
    private DateTimeOffset? _lastBatch;
    private DateTimeOffset? _lastHeartbeat;
    private double? _recentRate;

    public long Images => Interlocked.Read(ref _images);

    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Images per second since start; null before the first image.</summary>
    public double? ImagesPerSecond => Images == 0 ? null : Images / Math.Max(_clock.GetElapsedTime(_started).TotalSeconds, 1e-3);

    /// <summary>Images per second while busy, smoothed over recent batches; null until two batches followed each other.</summary>
    public double? RecentImagesPerSecond
    {
        get
        {
            lock (_gate)
                return _recentRate;
        }
    }

    /// <summary>Wall-clock time of the worker's last turn: it turns at least every Queue:IdlePollMilliseconds.</summary>
    public DateTimeOffset? LastHeartbeat
    {
        get
        {
            lock (_gate)
                return _lastHeartbeat;
        }
    }

    /// <summary>Wall-clock time the worker last stored a batch.</summary>
    public DateTimeOffset? LastBatch
    {
        get
        {
            lock (_gate)
                return _lastBatch;
        }
    }

    public void Heartbeat()
    {
        var now = _clock.GetUtcNow();
        lock (_gate)
            _lastHeartbeat = now;
    }

    /// <summary>A batch of <paramref name="images"/> was stored <paramref name="duration"/> after its pass began.</summary>
    public void RecordBatch(int images, TimeSpan duration)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _images, images);
        _imagesCounter.Add(images);
        _batchesCounter.Add(1);
        _batchDuration.Record(Math.Max(duration.TotalSeconds, 0));
        lock (_gate)
        {
            _lastBatch = _clock.GetUtcNow();
            var now = _clock.GetTimestamp();
            if (_lastBatchAt is { } previous && now > previous && _clock.GetElapsedTime(previous, now) < IdleGap)
            {
                var rate = images / _clock.GetElapsedTime(previous, now).TotalSeconds;
                _recentRate = _recentRate is { } r ? 0.8 * r + 0.2 * rate : rate;
            }

            _lastBatchAt = now;
            _recentBatches.Enqueue((now, images));
            Trim(now);
        }
    }

    /// <summary>A job's first image was stored <paramref name="sinceCreated"/> after it was requested.</summary>
    public void RecordFirstImage(TimeSpan sinceCreated)
    {
        RecordLatency(_firstImage, sinceCreated);
        _firstImageDuration.Record(Math.Max(sinceCreated.TotalSeconds, 0));
    }

    /// <summary>A job completed <paramref name="sinceCreated"/> after it was requested.</summary>
    public void RecordCompletion(TimeSpan sinceCreated)
    {
        RecordLatency(_completion, sinceCreated);
        _completionDuration.Record(Math.Max(sinceCreated.TotalSeconds, 0));
    }

    public QueueMetricsSnapshot Snapshot()
    {
        lock (_gate)
        {
            var now = _clock.GetTimestamp();
            Trim(now);
            var seconds = Math.Min(RateWindow.TotalSeconds, Math.Max(_clock.GetElapsedTime(_started, now).TotalSeconds, 1e-3));
            return new QueueMetricsSnapshot(
                Batches, Images,
                _recentBatches.Count / seconds,
                _recentBatches.Sum(b => b.Images) / seconds,
                LatencySummary.Of(_firstImage.Select(s => s.Latency)),
                LatencySummary.Of(_completion.Select(s => s.Latency)));
        }
    }

    private void RecordLatency(Queue<(long At, TimeSpan Latency)> samples, TimeSpan latency)
    {
        lock (_gate)
        {
            var now = _clock.GetTimestamp();
            samples.Enqueue((now, latency < TimeSpan.Zero ? TimeSpan.Zero : latency));
            while (samples.Count > LatencySamples)
                samples.Dequeue();
            Trim(now);
        }
    }

    private void Trim(long now)
    {
        while (_recentBatches.Count > 0 && _clock.GetElapsedTime(_recentBatches.Peek().At, now) > RateWindow)
            _recentBatches.Dequeue();
        foreach (var samples in new[] { _firstImage, _completion })
        {
            while (samples.Count > 0 && _clock.GetElapsedTime(samples.Peek().At, now) > LatencyHorizon)
                samples.Dequeue();
        }
    }
}

/// <summary>Throughput over the last <see cref="QueueMetrics.RateWindow"/> (or since start, when shorter) and recent latencies.</summary>
public sealed record QueueMetricsSnapshot(
    long BatchesTotal, long ImagesTotal, double BatchesPerSecond, double ImagesPerSecond, LatencySummary FirstImage, LatencySummary Completion);

/// <summary>Nearest-rank percentiles of a set of latencies; null percentiles when there are none.</summary>
public sealed record LatencySummary(int Count, TimeSpan? P50, TimeSpan? P95)
{
    public static LatencySummary Of(IEnumerable<TimeSpan> latencies)
    {
        var sorted = latencies.Order().ToArray();
        return sorted.Length == 0
            ? new LatencySummary(0, null, null)
            : new LatencySummary(sorted.Length, Percentile(sorted, 0.50), Percentile(sorted, 0.95));
    }

    /// <summary>The smallest value with at least <paramref name="p"/> of the values at or below it (nearest rank).</summary>
    public static TimeSpan Percentile(IReadOnlyList<TimeSpan> sorted, double p)
    {
        if (sorted.Count == 0)
            throw new ArgumentException("No values to take a percentile of.", nameof(sorted));
        if (p is <= 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(p), "The percentile must be in (0, 1].");
        var rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }
}
