using System.Diagnostics;

namespace Aigc.Platform.Queue;

/// <summary>The worker's counters, for the expected wait of a full queue and the admin status page.</summary>
public sealed class QueueMetrics
{
    private readonly Stopwatch _uptime = Stopwatch.StartNew();
    private long _images;
    private long _batches;

    public long Images => Interlocked.Read(ref _images);

    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>Images per second since start; null before the first image.</summary>
    public double? ImagesPerSecond => Images == 0 ? null : Images / Math.Max(_uptime.Elapsed.TotalSeconds, 1e-3);

    public void RecordBatch(int images)
    {
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _images, images);
    }
}
