using Aigc.Generation.Manifest;

namespace Aigc.Generation.Inference;

/// <summary>
/// Where generators run: the process holds one (a singleton), chosen by Inference:Device: our CPU engine, or ONNX
/// Runtime with its CPU or CUDA provider (decision 0017). Generators are created by the device so that they bind to
/// its backend.
/// </summary>
public interface IInferenceDevice
{
    /// <summary>For people, e.g. "CPU · OpenBLAS 0.3.21 SkylakeX · 2 threads".</summary>
    string Name { get; }

    DeviceKind Kind { get; }

    /// <summary>
    /// What computes the pixels, written into each image's metadata ("engine"): the same request gives the same pixels
    /// bit for bit on the same engine; across engines they agree within 1e-4 (decision 0017).
    /// </summary>
    string Engine { get; }

    /// <summary>A generator with freshly initialised weights, bound to this device.</summary>
    Generator CreateGenerator(CganManifest manifest);

    /// <summary>Runs one generator pass on the device; passes take turns, and the time they take counts as busy.</summary>
    Task<float[][]> GenerateAsync(Generator generator, IReadOnlyList<GenerationItem> items, CancellationToken cancellationToken = default);

    /// <summary>Busy fraction over the last <paramref name="window"/> and counters since start.</summary>
    DeviceLoad LoadOver(TimeSpan window);
}

public enum DeviceKind
{
    /// <summary>Our engine (Aigc.Neural) on the CPU; it also trains, and is the reference for the others.</summary>
    Cpu,

    /// <summary>ONNX Runtime, CPU provider.</summary>
    Onnx,

    /// <summary>ONNX Runtime, CUDA provider (a GPU build, on a host with CUDA 13 and cuDNN 9; decision 0017).</summary>
    OnnxCuda,
}

/// <summary>A device's load: the share of <see cref="Window"/> spent in passes (0 to 1), and totals since start.</summary>
public sealed record DeviceLoad(TimeSpan Window, double BusyFraction, long Passes, long ImagesGenerated);
