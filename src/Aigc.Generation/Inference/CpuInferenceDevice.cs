using Aigc.Generation.Manifest;
using Aigc.Neural;
using Aigc.Neural.Gemm;

namespace Aigc.Generation.Inference;

/// <summary>The CPU engine as a device: passes run one at a time on the engine's threads (its compute lease), and are timed.</summary>
public sealed class CpuInferenceDevice(NeuralEngine engine, TimeProvider clock) : IInferenceDevice
{
    private readonly DeviceBusyTime _busy = new(clock);

    public string Name { get; } = Describe(engine);

    public DeviceKind Kind => DeviceKind.Cpu;

    /// <summary>Unchanged since the first images, so that images made before devices existed still reproduce.</summary>
    public string Engine { get; } = $"Aigc.Neural {typeof(NeuralEngine).Assembly.GetName().Version}";

    public Generator CreateGenerator(CganManifest manifest) => Generator.Create(manifest, engine);

    public Task<float[][]> GenerateAsync(Generator generator, IReadOnlyList<GenerationItem> items,
        CancellationToken cancellationToken = default) =>
        _busy.RunAsync(() => generator.Generate(items, cancellationToken), cancellationToken);

    public DeviceLoad LoadOver(TimeSpan window) => _busy.LoadOver(window);

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
