using System.Runtime.CompilerServices;
using Aigc.Neural;

namespace Aigc.Generation.Upscaling;

/// <summary>
/// A loaded upscaler version: grey bytes at the input size in, grey bytes at the output size out. Not thread-safe
/// (layers keep their buffers): one instance per worker, passes through <see cref="NeuralEngine.Acquire"/>.
/// </summary>
public sealed class LineUpscaler
{
    private readonly NeuralEngine _engine;
    private readonly UpscalerNetwork _network;
    private Tensor _input = new(0, 1, 0, 0);

    public LineUpscaler(NeuralEngine engine, UpscalerNetwork network)
    {
        _engine = engine;
        _network = network;
        _network.Eval();
    }

    public UpscalerManifest Manifest => _network.Manifest;

    /// <summary>Loads manifest.json and upscaler.safetensors from a version folder.</summary>
    public static LineUpscaler Load(NeuralEngine engine, string versionDirectory)
    {
        var manifest = UpscalerManifest.Load(Path.Combine(versionDirectory, "manifest.json"));
        var network = UpscalerNetwork.Load(engine.CreateBackend(), manifest,
            Path.Combine(versionDirectory, UpscalerTrainingRun.WeightsFile));
        return new LineUpscaler(engine, network);
    }

    /// <summary>Upscales grey images of InputSize² bytes each (white lines on black).</summary>
    // Compiled optimised at first call, not after a minute of tier-0 code: decision 0024.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public byte[][] Upscale(IReadOnlyList<byte[]> images, CancellationToken cancellationToken = default)
    {
        var s = Manifest.InputSize;
        foreach (var image in images)
            if (image.Length != s * s)
                throw new ArgumentException($"The upscaler takes {s}×{s} grey images ({s * s} bytes), got {image.Length} bytes.");
        _input = Tensor.Prepare(_input, images.Count, 1, s, s);
        for (var n = 0; n < images.Count; n++)
            for (var p = 0; p < s * s; p++)
                _input[n * s * s + p] = images[n][p] / 127.5f - 1f;
        Tensor output;
        using (_engine.Acquire(cancellationToken))
            output = _network.Forward(_input);
        var o = Manifest.OutputSize;
        var result = new byte[images.Count][];
        for (var n = 0; n < images.Count; n++)
        {
            var bytes = result[n] = new byte[o * o];
            for (var p = 0; p < bytes.Length; p++)
                bytes[p] = (byte)Math.Clamp(MathF.Round((output[n * o * o + p] + 1f) * 127.5f), 0, 255);
        }

        return result;
    }
}
