using Aigc.Generation.Manifest;
using Aigc.Generation.Networks;
using Aigc.Neural;
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
    private ConditionBatch? _paired;

    public CganTrainer(CganManifest manifest, NeuralEngine engine, CganTrainingSettings settings, ulong seed)
    {
        _engine = engine;
        Settings = settings;
        if (manifest.Discriminator.PackSize > 1 && settings.DiversityWeight > 0)
            throw new ArgumentException("The diversity term pairs items (i, i + N/2) and a packed discriminator groups neighbours: use one or the other.");
        var random = new RandomSource(seed);
        Generator = new GeneratorNetwork(manifest, engine.CreateBackend(), random);
        Discriminator = new DiscriminatorNetwork(manifest, engine.CreateBackend(), random);
        GeneratorOptimizer = new Adam(Generator.Parameters(), settings.GeneratorLearningRate, settings.Beta1, settings.Beta2);
        DiscriminatorOptimizer = new Adam(Discriminator.Parameters(), settings.DiscriminatorLearningRate, settings.Beta1, settings.Beta2);
        if (settings.EmaDecay is { } decay)
        {
            EmaGenerator = new GeneratorNetwork(manifest, engine.CreateBackend(), new RandomSource(seed));
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

        var fakeConditions = Settings.DiversityWeight > 0 ? Paired(conditions) : conditions;
        var fake = Generator.Forward(_latent, fakeConditions, cancellationToken);
        Discriminator.ZeroGrad();
        var realLogits = Discriminator.Forward(real, conditions, cancellationToken);
        var lossD = Settings.Loss == GanLoss.Hinge
            ? Losses.HingeDiscriminatorReal(realLogits, _gradReal)
            : Losses.BceWithLogits(realLogits, 1f, _gradReal);
        Discriminator.Backward(_gradReal, inputGradient: false);
        var fakeLogits = Discriminator.Forward(fake, fakeConditions, cancellationToken);
        lossD += Settings.Loss == GanLoss.Hinge
            ? Losses.HingeDiscriminatorFake(fakeLogits, _gradFake)
            : Losses.BceWithLogits(fakeLogits, 0f, _gradFake);
        Discriminator.Backward(_gradFake, inputGradient: false);
        Clip(Discriminator);
        DiscriminatorOptimizer.Step();

        cancellationToken.ThrowIfCancellationRequested();
        Generator.ZeroGrad();
        Discriminator.SetParameterGradients(false);
        var logits = Discriminator.Forward(fake, fakeConditions, cancellationToken);
        var lossG = Settings.Loss == GanLoss.Hinge
            ? Losses.HingeGenerator(logits, _gradFake)
            : Losses.BceWithLogits(logits, 1f, _gradFake);
        var gradImages = Discriminator.Backward(_gradFake)!;
        if (Settings.DiversityWeight > 0)
            lossG += AddDiversityGradient(fake, gradImages);
        Generator.Backward(gradImages);
        Discriminator.SetParameterGradients(true);
        Clip(Generator);
        GeneratorOptimizer.Step();
        Ema?.Update();
        return (lossD, lossG);
    }

    /// <summary>The batch's conditions with item h+i given item i's (h = N/2), so the fake batch holds pairs to compare.</summary>
    private ConditionBatch Paired(ConditionBatch conditions)
    {
        var n = conditions.Count;
        var half = n / 2;
        var numeric = conditions.Schema.Numeric.Count;
        var paired = _paired is { } p && p.Count == n && p.Schema == conditions.Schema ? p : _paired = new ConditionBatch(conditions.Schema, n);
        for (var k = 0; k < conditions.Indices.Length; k++)
        {
            conditions.Indices[k].CopyTo(paired.Indices[k], 0);
            Array.Copy(conditions.Indices[k], 0, paired.Indices[k], half, half);
        }

        conditions.Scaled.CopyTo(paired.Scaled, 0);
        Array.Copy(conditions.Scaled, 0, paired.Scaled, half * numeric, half * numeric);
        return paired;
    }

    /// <summary>
    /// Adds the gradient of −w·min(d_img/d_z, cap), averaged over the pairs (i, i+N/2), to dL/dfake; returns the
    /// term's value. d_img and d_z are mean absolute differences of the two images and of their latents.
    /// </summary>
    private double AddDiversityGradient(Tensor fake, Tensor gradImages)
    {
        var n = fake.Dim(0);
        var half = n / 2;
        var pixels = fake.Length / n;
        var latentDim = _latent.Dim(1);
        var weight = Settings.DiversityWeight;
        double loss = 0;
        for (var i = 0; i < half; i++)
        {
            var a = fake.Span.Slice(i * pixels, pixels);
            var b = fake.Span.Slice((i + half) * pixels, pixels);
            var za = _latent.Span.Slice(i * latentDim, latentDim);
            var zb = _latent.Span.Slice((i + half) * latentDim, latentDim);
            double imageDistance = 0, latentDistance = 0;
            for (var j = 0; j < pixels; j++)
                imageDistance += Math.Abs(a[j] - b[j]);
            for (var j = 0; j < latentDim; j++)
                latentDistance += Math.Abs(za[j] - zb[j]);
            imageDistance /= pixels;
            latentDistance /= latentDim;
            var ratio = imageDistance / latentDistance;
            loss -= weight * Math.Min(ratio, Settings.DiversityCap) / half;
            if (ratio >= Settings.DiversityCap)
                continue;
            var scale = (float)(weight / (latentDistance * pixels * half));
            var ga = gradImages.Span.Slice(i * pixels, pixels);
            var gb = gradImages.Span.Slice((i + half) * pixels, pixels);
            for (var j = 0; j < pixels; j++)
            {
                var g = MathF.Sign(a[j] - b[j]) * scale;
                ga[j] -= g;
                gb[j] += g;
            }
        }

        return loss;
    }

    private void Clip(Neural.Layers.Module network)
    {
        if (Settings.ClipNorm is { } max)
            GradientClipping.ClipByGlobalNorm(network.Parameters(), max);
    }
}
