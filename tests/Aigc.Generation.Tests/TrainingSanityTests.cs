using Aigc.Generation.Manifest;
using Aigc.Generation.Training;
using Aigc.Neural;

namespace Aigc.Generation.Tests;

/// <summary>
/// The CGAN learns a toy conditional distribution: one bright blob on black, its colour given by the class
/// (red, green, blue), at a random place. After a bounded number of steps, generated images must show their
/// class's colour as the brightest channel for at least 90% of samples, and contain a blob.
/// </summary>
public class TrainingSanityTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Steps = 300;
    private const int Batch = 32;
    private const int Size = 16;
    private static readonly string[] Colours = ["red", "green", "blue"];

    private static readonly CganManifest Manifest = CganManifest.Parse("""
        {
          "name": "toy-blobs", "latentDim": 8, "imageSize": 16, "channels": 3, "init": "dcgan",
          "conditions": [ { "name": "colour", "kind": "categorical", "values": ["red", "green", "blue"], "embeddingDim": 4 } ],
          "generator": { "layers": [
            { "type": "convTranspose2d", "out": 32, "kernel": 4, "stride": 1, "padding": 0, "bias": false },
            { "type": "batchNorm2d" }, { "type": "relu" },
            { "type": "convTranspose2d", "out": 16, "kernel": 4, "stride": 2, "padding": 1, "bias": false },
            { "type": "batchNorm2d" }, { "type": "relu" },
            { "type": "convTranspose2d", "out": 3, "kernel": 4, "stride": 2, "padding": 1 }, { "type": "tanh" } ] },
          "discriminator": { "layers": [
            { "type": "conv2d", "out": 16, "kernel": 4, "stride": 2, "padding": 1 }, { "type": "leakyRelu", "slope": 0.2 },
            { "type": "conv2d", "out": 32, "kernel": 4, "stride": 2, "padding": 1 }, { "type": "leakyRelu", "slope": 0.2 },
            { "type": "flatten" } ] }
        }
        """);

    [Fact]
    public void Learns_class_coloured_blobs()
    {
        var trainer = Train(new CganTrainingSettings
        {
            GeneratorLearningRate = 1e-3f,
            DiscriminatorLearningRate = 1e-3f,
            Beta1 = 0.5f,
            Beta2 = 0.99f,
        }, Steps);
        var manifest = trainer.Generator.Manifest;

        var generator = trainer.Generator;
        generator.Eval();
        const int perClass = 30;
        var correct = 0;
        var withBlob = 0;
        var latent = new Tensor(3 * perClass, manifest.LatentDim);
        var eval = new ConditionBatch(manifest.Schema, 3 * perClass);
        for (var i = 0; i < 3 * perClass; i++)
        {
            LatentSampler.Fill(12345, i, latent.Span.Slice(i * manifest.LatentDim, manifest.LatentDim));
            eval.SetIndex(0, i, i % 3);
        }

        var images = generator.Forward(latent, eval);
        for (var i = 0; i < 3 * perClass; i++)
        {
            var image = images.Span.Slice(i * 3 * Size * Size, 3 * Size * Size);
            var means = new double[3];
            var peak = float.MinValue;
            for (var c = 0; c < 3; c++)
                for (var p = 0; p < Size * Size; p++)
                {
                    means[c] += image[c * Size * Size + p];
                    if (c == i % 3)
                        peak = Math.Max(peak, image[c * Size * Size + p]);
                }

            if (Array.IndexOf(means, means.Max()) == i % 3)
                correct++;
            if (peak > 0.5f)
                withBlob++;
        }

        var accuracy = correct / (double)(3 * perClass);
        output.WriteLine($"accuracy {accuracy:P1}, samples with a blob {withBlob}/{3 * perClass}");
        Assert.True(accuracy >= 0.9, $"class-colour accuracy {accuracy:P0} after {Steps} steps");
        Assert.True(withBlob >= 0.9 * 3 * perClass, $"only {withBlob} of {3 * perClass} samples contain a bright blob");
    }

    [Fact]
    public void The_diversity_term_makes_seeds_of_one_condition_differ_more()
    {
        var settings = new CganTrainingSettings { GeneratorLearningRate = 1e-3f, DiscriminatorLearningRate = 1e-3f, Beta1 = 0.5f, Beta2 = 0.99f };
        var plain = WithinClassDistance(Train(settings, 150));
        var diverse = WithinClassDistance(Train(settings with { DiversityWeight = 2f, DiversityCap = 0.5f }, 150));
        output.WriteLine($"mean within-class L1 between seeds: plain {plain:F4}, with the diversity term {diverse:F4}");
        Assert.True(diverse > 1.2 * plain, $"the diversity term should spread seeds apart: {diverse:F4} vs {plain:F4} without it");
    }

    private static CganTrainer Train(CganTrainingSettings settings, int steps)
    {
        var trainer = new CganTrainer(Manifest, Support.Engine("openblas", 2), settings, seed: 5);
        var data = new RandomSource(99);
        var real = new Tensor(Batch, 3, Size, Size);
        var conditions = new ConditionBatch(Manifest.Schema, Batch);
        for (var step = 0; step < steps; step++)
        {
            for (var i = 0; i < Batch; i++)
            {
                var cls = (int)(data.NextUInt64() % 3);
                conditions.SetIndex(0, i, cls);
                DrawBlob(real.Span.Slice(i * 3 * Size * Size, 3 * Size * Size), cls, data);
            }

            trainer.Step(real, conditions, (ulong)step);
        }

        return trainer;
    }

    /// <summary>Mean absolute pixel difference between images of one class from different latents, over the classes.</summary>
    private static double WithinClassDistance(CganTrainer trainer)
    {
        const int perClass = 8;
        var generator = trainer.Generator;
        generator.Eval();
        var latent = new Tensor(3 * perClass, Manifest.LatentDim);
        var eval = new ConditionBatch(Manifest.Schema, 3 * perClass);
        for (var i = 0; i < 3 * perClass; i++)
        {
            LatentSampler.Fill(777, i, latent.Span.Slice(i * Manifest.LatentDim, Manifest.LatentDim));
            eval.SetIndex(0, i, i % 3);
        }

        var images = generator.Forward(latent, eval);
        var pixels = 3 * Size * Size;
        double total = 0;
        var pairs = 0;
        for (var a = 0; a < 3 * perClass; a++)
            for (var b = a + 3; b < 3 * perClass; b += 3)
            {
                for (var p = 0; p < pixels; p++)
                    total += Math.Abs(images[a * pixels + p] - images[b * pixels + p]);
                pairs++;
            }

        return total / pairs / pixels;
    }

    /// <summary>Black image with a disc of radius 3–4.5 in the class's colour channel.</summary>
    private static void DrawBlob(Span<float> image, int cls, RandomSource random)
    {
        image.Fill(-1f);
        var cx = random.NextUniform(4, Size - 4);
        var cy = random.NextUniform(4, Size - 4);
        var r = random.NextUniform(3, 4.5);
        for (var y = 0; y < Size; y++)
            for (var x = 0; x < Size; x++)
                if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r)
                    image[cls * Size * Size + y * Size + x] = 1f;
    }
}
