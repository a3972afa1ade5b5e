using Aigc.Generation.Manifest;

namespace Aigc.Generation.Inference;

/// <summary>
/// Where generators run: the process holds one (a singleton), today the CPU engine. A GPU backend would be another
/// implementation behind this interface; generators are created by the device so that they bind to its backend.
/// </summary>
public interface IInferenceDevice
{
    /// <summary>For people, e.g. "CPU · OpenBLAS 0.3.21 SkylakeX · 2 threads".</summary>
    string Name { get; }

    DeviceKind Kind { get; }

    /// <summary>A generator with freshly initialised weights, bound to this device.</summary>
    Generator CreateGenerator(CganManifest manifest);

    /// <summary>Runs one generator pass on the device; passes take turns, and the time they take counts as busy.</summary>
    Task<float[][]> GenerateAsync(Generator generator, IReadOnlyList<GenerationItem> items, CancellationToken cancellationToken = default);

    /// <summary>Busy fraction over the last <paramref name="window"/> and counters since start.</summary>
    DeviceLoad LoadOver(TimeSpan window);
}

public enum DeviceKind
{
    Cpu,
}

/// <summary>A device's load: the share of <see cref="Window"/> spent in passes (0 to 1), and totals since start.</summary>
public sealed record DeviceLoad(TimeSpan Window, double BusyFraction, long Passes, long ImagesGenerated);
