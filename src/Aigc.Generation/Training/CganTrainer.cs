using Aigc.Generation.Manifest;
using Aigc.Generation.Networks;
using Aigc.Neural;
using Aigc.Neural.Backend;
using Aigc.Neural.Training;

namespace Aigc.Generation.Training;

/// <summary>
/// One discriminator step then one generator step per call, with Adam, as the usual PyTorch loop: the fake
/// batch is generated once, D learns on real then fake (gradients accumulate), then G learns through D.
/// </summary>
public sealed class CganTrainer
{
    private readonly NeuralEngine _engine;
    private readonly Tensor _latent = new(0, 0);
    private readonly Tensor _gradReal = new(0, 0);
    private readonly Tensor _gradFake = new(0, 0);

    public CganTrainer(CganManifest manifest, NeuralEngine engine, CganTrainingSettings settings, ulong seed)
    {
        _engine = engine;
        Settings = settings;
        var random = new RandomSource(seed);
        Generator = new GeneratorNetwork(manifest, new CpuBackend(engine), random);
        Discriminator = new DiscriminatorNetwork(manifest, new CpuBackend(engine), random);
        GeneratorOptimizer = new Adam(Generator.Parameters(), settings.GeneratorLearningRate, settings.Beta1, settings.Beta2);
        DiscriminatorOptimizer = new Adam(Discriminator.Parameters(), settings.DiscriminatorLearningRate, settings.Beta1, settings.Beta2);
        if (settings.EmaDecay is { } decay)
        {
            EmaGenerator = new GeneratorNetwork(manifest, new CpuBackend(engine), new RandomSource(seed));
            EmaGenerator.Eval();
            Ema = new WeightEma(Generator, EmaGenerator, decay);
        }
    }

    public CganTrainingSettings Settings { get; }

    public GeneratorNetwork Generator { get; }

    public DiscriminatorNetwork Discriminator { get; }

    public Adam GeneratorOptimizer { get; }

    public Adam DiscriminatorOptimizer { get; }

    public GeneratorNetwork? EmaGenerator { get; }

    public WeightEma? Ema { get; }

    /// <summary>Trains on one batch of real images [N, C, H, W] in [−1, 1]; latents are (stepSeed, 0..N−1).</summary>
    public (double DiscriminatorLoss, double GeneratorLoss) Step(Tensor real, ConditionBatch conditions, ulong stepSeed,
        CancellationToken cancellationToken = default)
    {
        using var lease = _engine.Acquire(cancellationToken);
        var n = real.Dim(0);
        var latentDim = Generator.Manifest.LatentDim;
        _latent.Resize([n, latentDim]);
        for (var i = 0; i < n; i++)
            LatentSampler.Fill(stepSeed, i, _latent.Span.Slice(i * latentDim, latentDim));
        Generator.Train();
        Discriminator.Train();

        var fake = Generator.Forward(_latent, conditions, cancellationToken);
        Discriminator.ZeroGrad();
        var realLogits = Discriminator.Forward(real, conditions, cancellationToken);
        var lossD = Settings.Loss == GanLoss.Hinge
            ? Losses.HingeDiscriminatorReal(realLogits, _gradReal)
            : Losses.BceWithLogits(realLogits, 1f, _gradReal);
        Discriminator.Backward(_gradReal, inputGradient: false);
        var fakeLogits = Discriminator.Forward(fake, conditions, cancellationToken);
        lossD += Settings.Loss == GanLoss.Hinge
            ? Losses.HingeDiscriminatorFake(fakeLogits, _gradFake)
            : Losses.BceWithLogits(fakeLogits, 0f, _gradFake);
        Discriminator.Backward(_gradFake, inputGradient: false);
        Clip(Discriminator);
        DiscriminatorOptimizer.Step();

        cancellationToken.ThrowIfCancellationRequested();
        Generator.ZeroGrad();
        Discriminator.SetParameterGradients(false);
        var logits = Discriminator.Forward(fake, conditions, cancellationToken);
        var lossG = Settings.Loss == GanLoss.Hinge
            ? Losses.HingeGenerator(logits, _gradFake)
            : Losses.BceWithLogits(logits, 1f, _gradFake);
        Generator.Backward(Discriminator.Backward(_gradFake)!);
        Discriminator.SetParameterGradients(true);
        Clip(Generator);
        GeneratorOptimizer.Step();
        Ema?.Update();
        return (lossD, lossG);
    }

    private void Clip(Neural.Layers.Module network)
    {
        if (Settings.ClipNorm is { } max)
            GradientClipping.ClipByGlobalNorm(network.Parameters(), max);
    }
}
