using Aigc.Neural;
using Aigc.Neural.Backend;
using Aigc.Neural.Layers;
using Aigc.Neural.Safetensors;
using Aigc.Neural.Training;

namespace Aigc.Generation.Upscaling;

/// <summary>
/// head conv 3×3 (1→F) · blocks × Residual(conv 3×3, ReLU, conv 3×3; each dilated as the manifest says) · ReLU ·
/// conv 3×3 (F→scale²) · PixelShuffle.
/// Every convolution runs at the input resolution (the cost of an ESPCN/EDSR-style network); only the permutation
/// writes the large image. Pixels are in [-1, 1], white lines on black, as the generator's tanh output.
/// State names: "layers.N…" in the order above.
/// </summary>
public sealed class UpscalerNetwork : Module
{
    private readonly Sequential _layers;

    public UpscalerNetwork(INeuralBackend backend, UpscalerManifest manifest)
    {
        Manifest = manifest;
        var f = manifest.Features;
        var same = ConvGeometry.Square(3, 1, 1);
        var layers = new List<Layer> { new Conv2d(backend, 1, f, same) };
        for (var i = 0; i < manifest.Blocks; i++)
        {
            // Padding equal to the dilation keeps a 3×3 convolution's output the size of its input.
            int d0 = manifest.DilationOf(i, 0), d1 = manifest.DilationOf(i, 1);
            layers.Add(new Residual(backend, new Sequential(backend, [
                new Conv2d(backend, f, f, ConvGeometry.Square(3, 1, d0, dilation: d0)),
                new Activation(backend, ActivationKind.ReLU),
                new Conv2d(backend, f, f, ConvGeometry.Square(3, 1, d1, dilation: d1)),
            ]), manifest.ResidualScale));
        }

        layers.Add(new Activation(backend, ActivationKind.ReLU));
        layers.Add(new Conv2d(backend, f, manifest.Scale * manifest.Scale, same));
        layers.Add(new PixelShuffle(backend, manifest.Scale));
        _layers = new Sequential(backend, layers) { InputGradient = false };
    }

    public UpscalerManifest Manifest { get; }

    protected override IEnumerable<(string Name, Module Child)> Children() => [("layers", _layers)];

    /// <summary>[N, 1, S, S] → [N, 1, S·scale, S·scale].</summary>
    public Tensor Forward(Tensor input)
    {
        if (input.Rank != 4 || input.Dim(1) != 1)
            throw new ArgumentException($"The upscaler takes one grey channel [N, 1, H, W], got {input}.");
        return _layers.Forward(input);
    }

    public void Backward(Tensor gradOutput) => _layers.Backward(gradOutput);

    /// <summary>PyTorch's default initialisation (uniform ±1/√fan_in).</summary>
    public void Initialize(RandomSource random) => Initialization.PyTorchDefault(this, random);

    public static UpscalerNetwork Load(INeuralBackend backend, UpscalerManifest manifest, string weightsPath)
    {
        var network = new UpscalerNetwork(backend, manifest);
        StateDictFile.Load(network, weightsPath);
        network.Eval();
        return network;
    }
}
