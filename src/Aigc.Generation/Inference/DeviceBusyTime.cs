namespace Aigc.Generation.Inference;

/// <summary>A device's busy intervals (wall time of its passes, overlapping passes merged) and its counters.</summary>
internal sealed class DeviceBusyTime(TimeProvider clock)
{
    // Busy intervals older than this are forgotten; load is asked for over shorter windows.
    private static readonly TimeSpan History = TimeSpan.FromMinutes(5);

    private readonly Lock _gate = new();
    private readonly Queue<(long Start, long End)> _busy = new();
    private long _passes;
    private long _images;
    private int _running;
    private long _runningSince;

    /// <summary>Runs one pass off the caller's thread; its wall time counts as busy, its images as generated.</summary>
    public async Task<float[][]> RunAsync(Func<float[][]> pass, CancellationToken cancellationToken)
    {
        Begin();
        var images = 0;
        try
        {
            var result = await Task.Run(pass, cancellationToken).ConfigureAwait(false);
            images = result.Length;
            return result;
        }
        finally
        {
            End(images);
        }
    }

    private void Begin()
    {
        lock (_gate)
        {
            if (_running++ == 0)
                _runningSince = clock.GetTimestamp();
        }
    }

    private void End(int images)
    {
        Interlocked.Increment(ref _passes);
        Interlocked.Add(ref _images, images);
        lock (_gate)
        {
            if (--_running > 0)
                return;
            var now = clock.GetTimestamp();
            _busy.Enqueue((_runningSince, now));
            var horizon = now - (long)(History.TotalSeconds * clock.TimestampFrequency);
            while (_busy.Count > 0 && _busy.Peek().End < horizon)
                _busy.Dequeue();
        }
    }

    public DeviceLoad LoadOver(TimeSpan window)
    {
        if (window <= TimeSpan.Zero || window > History)
            throw new ArgumentOutOfRangeException(nameof(window),
                $"The load window must be positive and at most {History.TotalMinutes} minutes.");
        var now = clock.GetTimestamp();
        var from = now - (long)(window.TotalSeconds * clock.TimestampFrequency);
        long busy = 0;
        lock (_gate)
        {
            // Overlapping passes (two callers at once) are merged so that busy time never exceeds the window.
            var cursor = from;
            foreach (var (start, end) in _busy.Append(_running > 0 ? (_runningSince, now) : (now, now)))
            {
                var s = Math.Max(start, cursor);
                var e = Math.Min(end, now);
                if (e > s)
                {
                    busy += e - s;
                    cursor = e;
                }
            }
        }

        var fraction = Math.Clamp(busy / (double)(now - from), 0, 1);
        return new DeviceLoad(window, fraction, Interlocked.Read(ref _passes), Interlocked.Read(ref _images));
    }
}
