using Aigc.Generation.Datasets;
using Aigc.Generation.Manifest;
using Aigc.Neural;
using Aigc.Neural.Training;

namespace Aigc.Generation.Sketches;

/// <summary>Settings of <c>aigc train-encoder</c>; the defaults made the shipped encoder.</summary>
public sealed record SketchEncoderTrainingOptions
{
    public int Steps { get; init; } = 400;

    /// <summary>Images per step: half generated (latent known), half synthetic drawings (conditions known).</summary>
    public int BatchSize { get; init; } = 64;

    public float LearningRate { get; init; } = 1e-3f;

    /// <summary>Synthetic drawings rendered for training (seed <see cref="Seed"/>; evaluation uses other seeds).</summary>
    public int Drawings { get; init; } = 2400;

    public ulong Seed { get; init; } = 21;

    /// <summary>Weight of the latent's mean squared error against the conditions' cross-entropy.</summary>
    public float LatentWeight { get; init; } = 1f;
}

/// <summary>
/// Trains a <see cref="SketchEncoder"/> with the generator frozen. Each step's batch is half images the generator
/// makes from random conditions and latents (target: both) and half synthetic drawings (target: their
/// conditions), each image degraded like a sketch with probability ½. Everything is drawn from the seed, so a run
/// is repeatable on one machine.
/// </summary>
public static class SketchEncoderTraining
{
    public static (double LatentLoss, double ConditionLoss) Train(SketchEncoder encoder, NeuralEngine engine,
        SketchEncoderTrainingOptions options, IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var network = encoder.Network;
        var generator = encoder.Generator;
        var size = network.ImageSize;
        var length = size * size;
        var dim = network.LatentDim;
        progress?.Report($"rendering {options.Drawings} synthetic drawings");
        var drawings = SyntheticDrawings.Render(options.Drawings, options.Seed, size);
        var drawingTargets = drawings.Labels.Select(l => Targets(network, l.ToConditionValues())).ToArray();
        var random = new RandomSource(RandomSource.Mix(options.Seed + 1));
        var adam = new Adam(network.Parameters(), options.LearningRate);
        var generated = options.BatchSize / 2;
        var x = new Tensor(options.BatchSize, 1, size, size);
        var grad = new Tensor(options.BatchSize, network.OutputWidth);
        var latents = new float[generated * dim];
        var targets = new int[options.BatchSize][];
        network.Train();
        double latentLoss = 0, conditionLoss = 0;
        for (var step = 0; step < options.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var items = new GenerationItem[generated];
            for (var i = 0; i < generated; i++)
            {
                var values = RandomConditions(network, random);
                items[i] = new GenerationItem(values, options.Seed, (long)step * generated + i);
                targets[i] = Targets(network, values);
            }

            var images = generator.Generate(items, cancellationToken);
            generator.Latents(items).CopyTo(latents, 0);
            for (var i = 0; i < options.BatchSize; i++)
            {
                ReadOnlySpan<float> clean;
                if (i < generated)
                    clean = images[i];
                else
                {
                    var d = (int)(random.NextDouble() * drawings.Count);
                    clean = drawings.Image(d);
                    targets[i] = drawingTargets[d];
                }

                var image = random.NextDouble() < 0.5 ? SketchDegradation.Random(random).Apply(clean, size, random) : clean.ToArray();
                image.CopyTo(x.Span.Slice(i * length, length));
            }

            using var lease = engine.Acquire(cancellationToken);
            network.ZeroGrad();
            var output = network.Forward(x);
            (latentLoss, conditionLoss) = Loss(network, output, latents, generated, targets, options.LatentWeight, grad);
            network.Backward(grad);
            adam.Step();
            if ((step + 1) % 50 == 0)
                progress?.Report($"step {step + 1}/{options.Steps}: latent MSE {latentLoss:F3}, conditions CE {conditionLoss:F3}");
        }

        network.Eval();
        return (latentLoss, conditionLoss);
    }

    private static ConditionValues RandomConditions(SketchEncoderNetwork network, RandomSource random)
    {
        var values = new ConditionValues();
        for (var k = 0; k < network.Conditions.Count; k++)
        {
            var options = network.ConditionValues[k];
            values.Set(network.Conditions[k].Name, options[(int)(random.NextDouble() * options.Count)]);
        }

        return values;
    }

    private static int[] Targets(SketchEncoderNetwork network, ConditionValues values) =>
        network.Conditions.Select((c, k) => network.ConditionValues[k].ToList().IndexOf(values.Category(c.Name)!)).ToArray();

    /// <summary>
    /// Latent MSE over the generated rows (weighted) plus the mean softmax cross-entropy of every condition over all
    /// rows; writes d(loss)/d(output) into <paramref name="grad"/>.
    /// </summary>
    private static (double Latent, double Conditions) Loss(SketchEncoderNetwork network, Tensor output, float[] latents,
        int generated, int[][] targets, float latentWeight, Tensor grad)
    {
        var rows = output.Dim(0);
        var width = network.OutputWidth;
        var dim = network.LatentDim;
        var o = output.Span;
        var g = grad.Resize([rows, width]).Span;
        g.Clear();
        double latent = 0, conditions = 0;
        for (var r = 0; r < generated; r++)
            for (var j = 0; j < dim; j++)
            {
                var d = o[r * width + j] - latents[r * dim + j];
                latent += d * d;
                g[r * width + j] = latentWeight * 2 * d / (generated * dim);
            }

        for (var r = 0; r < rows; r++)
        {
            var offset = dim;
            for (var k = 0; k < network.Conditions.Count; k++)
            {
                var classes = network.Conditions[k].Classes;
                var logits = o.Slice(r * width + offset, classes);
                var max = float.MinValue;
                foreach (var v in logits)
                    max = Math.Max(max, v);
                double sum = 0;
                foreach (var v in logits)
                    sum += Math.Exp(v - max);
                for (var c = 0; c < classes; c++)
                    g[r * width + offset + c] = (float)(Math.Exp(logits[c] - max) / sum / rows);
                g[r * width + offset + targets[r][k]] -= 1f / rows;
                conditions += Math.Log(sum) + max - logits[targets[r][k]];
                offset += classes;
            }
        }

        return (latent / (generated * dim), conditions / rows);
    }
}
