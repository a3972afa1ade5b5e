using System.Diagnostics;

namespace Aigc.Platform.Queue;

/// <summary>The worker's counters, for expected waits (full queue, job ETA) and the admin status page.</summary>
public sealed class QueueMetrics
{
    // Gaps longer than this between batches are idle time, not work: they do not lower the recent rate.
    private static readonly TimeSpan IdleGap = TimeSpan.FromSeconds(2);

    private readonly Stopwatch _uptime = Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private long _images;
    private long _batches;
    private TimeSpan? _lastBatchAt;
    private double? _recentRate;

    public long Images => Interlocked.Read(ref _images);

    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Images per second since start; null before the first image.</summary>
    public double? ImagesPerSecond => Images == 0 ? null : Images / Math.Max(_uptime.Elapsed.TotalSeconds, 1e-3);

    /// <summary>Images per second while busy, smoothed over recent batches; null until two batches followed each other.</summary>
    public double? RecentImagesPerSecond
    {
        get
        {
            lock (_gate)
                return _recentRate;
        }
    }

    public void RecordBatch(int images)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _images, images);
        lock (_gate)
        {
            var now = _uptime.Elapsed;
            if (_lastBatchAt is { } previous && now - previous < IdleGap && now > previous)
            {
                var rate = images / (now - previous).TotalSeconds;
                _recentRate = _recentRate is { } r ? 0.8 * r + 0.2 * rate : rate;
            }

            _lastBatchAt = now;
        }
    }
}
