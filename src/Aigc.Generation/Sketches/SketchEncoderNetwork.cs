using Aigc.Generation.Manifest;
using Aigc.Neural;
using Aigc.Neural.Backend;
using Aigc.Neural.Layers;
using Aigc.Neural.Training;

namespace Aigc.Generation.Sketches;

/// <summary>
/// E(x): a one-band drawing to the generator's latent and one set of logits per categorical condition. Four
/// stride-2 convolutions with LeakyReLU, a 256-wide hidden layer and one linear head whose outputs are
/// [latent | logits of condition 1 | …] in schema order. State names: features.*, head.*.
/// </summary>
public sealed class SketchEncoderNetwork : Module
{
    public const int HiddenWidth = 256;

    public SketchEncoderNetwork(CganManifest manifest, INeuralBackend backend, RandomSource random)
    {
        if (manifest.Channels != 1 || manifest.ImageSize < 16 || manifest.ImageSize % 16 != 0)
            throw new ManifestException(
                $"a sketch encoder needs one-band images of a size divisible by 16 (got {manifest.Channels}×{manifest.ImageSize}²).");
        if (manifest.Schema.Numeric.Count > 0)
            throw new ManifestException("a sketch encoder recovers categorical conditions only; this model has numeric ones.");
        LatentDim = manifest.LatentDim;
        ImageSize = manifest.ImageSize;
        Conditions = manifest.Schema.Categorical.Select(c => (c.Name, c.Values!.Count)).ToArray();
        ConditionValues = manifest.Schema.Categorical.Select(c => c.Values!).ToArray();
        OutputWidth = LatentDim + Conditions.Sum(c => c.Classes);
        var g = ConvGeometry.Square(4, 2, 1);
        var flat = 128 * (ImageSize / 16) * (ImageSize / 16);
        Features = new Sequential(backend,
        [
            new Conv2d(backend, 1, 32, g) { InputGradient = false }, new Activation(backend, ActivationKind.LeakyReLU, 0.2f),
            new Conv2d(backend, 32, 64, g), new Activation(backend, ActivationKind.LeakyReLU, 0.2f),
            new Conv2d(backend, 64, 128, g), new Activation(backend, ActivationKind.LeakyReLU, 0.2f),
            new Conv2d(backend, 128, 128, g), new Activation(backend, ActivationKind.LeakyReLU, 0.2f),
            new Flatten(backend), new Linear(backend, flat, HiddenWidth), new Activation(backend, ActivationKind.LeakyReLU, 0.2f),
        ]);
        Head = new Linear(backend, HiddenWidth, OutputWidth);
        Initialization.PyTorchDefault(this, random);
    }

    public int LatentDim { get; }

    public int ImageSize { get; }

    /// <summary>The categorical conditions in schema order, with their number of values.</summary>
    public IReadOnlyList<(string Name, int Classes)> Conditions { get; }

    /// <summary>Each categorical condition's values, in schema order.</summary>
    public IReadOnlyList<IReadOnlyList<string>> ConditionValues { get; }

    public int OutputWidth { get; }

    public Sequential Features { get; }

    public Linear Head { get; }

    protected override IEnumerable<(string Name, Module Child)> Children() => [("features", Features), ("head", Head)];

    /// <summary>x is [N, 1, size, size] in [−1, 1], lines bright; returns [N, <see cref="OutputWidth"/>].</summary>
    public Tensor Forward(Tensor x) => Head.Forward(Features.Forward(x));

    public void Backward(Tensor gradOutput) => Features.Backward(Head.Backward(gradOutput)!);
}
