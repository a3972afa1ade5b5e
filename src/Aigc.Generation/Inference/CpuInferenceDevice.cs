using Aigc.Generation.Manifest;
using Aigc.Neural;
using Aigc.Neural.Gemm;

namespace Aigc.Generation.Inference;

/// <summary>The CPU engine as a device: passes run one at a time on the engine's threads (its compute lease), and are timed.</summary>
public sealed class CpuInferenceDevice(NeuralEngine engine, TimeProvider clock) : IInferenceDevice
{
    // Busy intervals older than this are forgotten; load is asked for over shorter windows.
    private static readonly TimeSpan History = TimeSpan.FromMinutes(5);

    private readonly Lock _gate = new();
    private readonly Queue<(long Start, long End)> _busy = new();
    private long _passes;
    private long _images;
    private int _running;
    private long _runningSince;

    public string Name { get; } = Describe(engine);

    public DeviceKind Kind => DeviceKind.Cpu;

    public Generator CreateGenerator(CganManifest manifest) => Generator.Create(manifest, engine);

    public async Task<float[][]> GenerateAsync(Generator generator, IReadOnlyList<GenerationItem> items, CancellationToken cancellationToken = default)
    {
        Begin();
        try
        {
            var images = await Task.Run(() => generator.Generate(items, cancellationToken), cancellationToken).ConfigureAwait(false);
            Interlocked.Add(ref _images, images.Length);
            return images;
        }
        finally
        {
            End();
        }
    }

    public DeviceLoad LoadOver(TimeSpan window)
    {
        if (window <= TimeSpan.Zero || window > History)
            throw new ArgumentOutOfRangeException(nameof(window), $"The load window must be positive and at most {History.TotalMinutes} minutes.");
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

    private void Begin()
    {
        lock (_gate)
        {
            if (_running++ == 0)
                _runningSince = clock.GetTimestamp();
        }
    }

    private void End()
    {
        Interlocked.Increment(ref _passes);
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

    /// <summary>
    /// "CPU · OpenBLAS 0.3.21 SkylakeX · 1 thread": the kernel set is named because OpenBLAS falls back to slow SSE3
    /// kernels on CPU models it does not know, and the admin status page is where that shows.
    /// </summary>
    private static string Describe(NeuralEngine engine)
    {
        var gemm = engine.Gemm is OpenBlasGemm && OpenBlasGemm.Configuration is { } configuration && OpenBlasGemm.CoreName is { } core
            ? string.Join(' ', configuration.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2).Append(core))
            : $"{engine.Gemm.Name} GEMM";
        return $"CPU · {gemm} · {engine.Threads} {(engine.Threads == 1 ? "thread" : "threads")}";
    }
}
