using Aigc.Generation.Datasets;
using Aigc.Generation.Manifest;
using Aigc.Neural;

namespace Aigc.Generation.Evaluation;

/// <summary>Settings of an evaluation run; the defaults are what the targets in docs refer to.</summary>
public sealed record EvaluationOptions
{
    public int ClassifierEpochs { get; init; } = 8;

    public ulong Seed { get; init; } = 7;
}

/// <summary>
/// Measures a blueprint generator against real data with our own classifier. The real images are split in two
/// halves by a seeded shuffle: the classifier learns on one ("train") and is tested on the other ("test").
/// Generated images copy the labels of those halves, so every comparison is between sets with the same
/// condition mix. The Fréchet distances use the classifier's 64 penultimate features — not Inception FID.
/// </summary>
public static class BlueprintEvaluation
{
    public const string MetricVersion = "blueprint-eval/2";

    public static EvaluationReport Run(string modelDirectory, string dataDirectory, NeuralEngine engine, EvaluationOptions options,
        IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var manifest = CganManifest.Load(Path.Combine(modelDirectory, "manifest.json"));
        var generator = Generator.Create(manifest, engine);
        generator.LoadWeights(Path.Combine(modelDirectory, Training.CganTrainingRun.WeightsFile));
        var data = BlueprintDataset.Load(dataDirectory);
        data.RequireCompatible(manifest);
        File.WriteAllBytes(Path.Combine(modelDirectory, VariantSheet.FileName), VariantSheet.Render(generator, cancellationToken));
        progress?.Report($"generating {data.Count} images");
        var generated = Generate(generator, data, options.Seed, cancellationToken);
        return Evaluate(engine, data, generated, options, progress, cancellationToken);
    }

    /// <summary>One generated image per real image, with its labels; latents from (seed, index).</summary>
    public static float[] Generate(Generator generator, BlueprintDataset data, ulong seed, CancellationToken cancellationToken = default)
    {
        var items = data.Entries.Select((e, i) => new GenerationItem(e.Label.ToConditionValues(), seed, i)).ToArray();
        var images = generator.Generate(items, cancellationToken);
        var result = new float[data.Count * data.ImageLength];
        for (var i = 0; i < images.Length; i++)
            images[i].CopyTo(result, i * data.ImageLength);
        return result;
    }

    /// <summary>The metrics for real data and a generated set aligned with it (image i has the labels of real image i).</summary>
    public static EvaluationReport Evaluate(NeuralEngine engine, BlueprintDataset data, float[] generated, EvaluationOptions options,
        IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        // The part classes the data has, in the schema's order: all eight for the synthetic data, as many as a
        // company's drawings hold otherwise.
        var parts = BlueprintConditions.Parts.Where(p => data.Entries.Any(e => e.Label.Part == p)).ToList();
        var labels = data.Entries.Select(e => parts.IndexOf(e.Label.Part)).ToArray();
        var order = Enumerable.Range(0, data.Count).ToArray();
        var random = new RandomSource(options.Seed);
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = (int)(random.NextUInt64() % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }

        var train = order[..(order.Length / 2)];
        var test = order[(order.Length / 2)..];
        if (train.Length < 2 * parts.Count || test.Length < 4 * parts.Count)
            throw new ArgumentException($"Evaluation needs at least {8 * parts.Count} real images (got {data.Count}).");
        var realTrain = Gather(data.Pixels, train, data.ImageLength);
        var realTest = Gather(data.Pixels, test, data.ImageLength);
        var genTrain = Gather(generated, train, data.ImageLength);
        var genTest = Gather(generated, test, data.ImageLength);
        var trainLabels = train.Select(i => labels[i]).ToArray();
        var testLabels = test.Select(i => labels[i]).ToArray();

        progress?.Report("training the classifier on real images");
        var classifier = new BlueprintClassifier(engine, data.ImageSize, parts.Count, options.Seed);
        classifier.Train(realTrain, trainLabels, options.ClassifierEpochs, cancellationToken: cancellationToken);
        var (realPredictions, realFeatures) = classifier.Infer(realTest, cancellationToken);
        var (genPredictions, genFeatures) = classifier.Infer(genTest, cancellationToken);

        progress?.Report("training a classifier on generated images (CAS)");
        var casClassifier = new BlueprintClassifier(engine, data.ImageSize, parts.Count, options.Seed);
        casClassifier.Train(genTrain, trainLabels, options.ClassifierEpochs, cancellationToken: cancellationToken);
        var (casPredictions, _) = casClassifier.Infer(realTest, cancellationToken);

        // Real-vs-real baseline: test half A against test half B; generated: half A against the generated twins of B.
        var a = Enumerable.Range(0, test.Length).Where(i => i % 2 == 0).ToArray();
        var b = Enumerable.Range(0, test.Length).Where(i => i % 2 == 1).ToArray();
        var perClass = new Dictionary<string, ClassMetrics>();
        for (var c = 0; c < parts.Count; c++)
        {
            var inClass = Enumerable.Range(0, test.Length).Where(i => testLabels[i] == c).ToArray();
            var ca = a.Where(i => testLabels[i] == c).ToArray();
            var cb = b.Where(i => testLabels[i] == c).ToArray();
            var baseline = FrechetDistance.Compute(Pick(realFeatures, ca), Pick(realFeatures, cb));
            var distance = FrechetDistance.Compute(Pick(realFeatures, ca), Pick(genFeatures, cb));
            perClass[parts[c]] = new ClassMetrics
            {
                Count = inClass.Length,
                RealAccuracy = Accuracy(realPredictions, testLabels, inClass),
                ConditionalAccuracy = Accuracy(genPredictions, testLabels, inClass),
                CasAccuracy = Accuracy(casPredictions, testLabels, inClass),
                Frechet = distance,
                FrechetBaseline = baseline,
                VarianceRatio = FrechetDistance.MeanVariance(Pick(genFeatures, inClass)) / FrechetDistance.MeanVariance(Pick(realFeatures, inClass)),
            };
        }

        // Within one exact condition, on the held-out half: each generated twin has its own latent.
        var diversity = WithinConditionDiversity.Compute(test.Select(i => data.Entries[i].Label).ToArray(), realFeatures, genFeatures,
            Rows(realTest, data.ImageLength), Rows(genTest, data.ImageLength));
        var all = Enumerable.Range(0, test.Length).ToArray();
        var realAccuracy = Accuracy(realPredictions, testLabels, all);
        var cas = Accuracy(casPredictions, testLabels, all);
        var frechet = FrechetDistance.Compute(Pick(realFeatures, a), Pick(genFeatures, b));
        var frechetBaseline = FrechetDistance.Compute(Pick(realFeatures, a), Pick(realFeatures, b));
        return new EvaluationReport
        {
            MetricVersion = MetricVersion,
            Counts = new EvaluationCounts { RealTrain = train.Length, RealTest = test.Length, GeneratedTrain = train.Length, GeneratedTest = test.Length, ClassifierEpochs = options.ClassifierEpochs },
            RealAccuracy = realAccuracy,
            ConditionalAccuracy = Accuracy(genPredictions, testLabels, all),
            CasAccuracy = cas,
            CasRelative = cas / Math.Max(realAccuracy, 1e-9),
            Frechet = frechet,
            FrechetBaseline = frechetBaseline,
            FrechetRatio = frechet / Math.Max(frechetBaseline, 1e-12),
            VarianceRatioMin = perClass.Values.Min(m => m.VarianceRatio),
            PerClass = perClass,
            WithinConditionDiversityMin = diversity.Values.Min(d => d.FeatureRatio),
            WithinConditionDiversityMedian = WithinConditionDiversity.Median(diversity.Values.Select(d => d.FeatureRatio)),
            WithinConditionPixelDiversityMin = diversity.Values.Min(d => d.PixelRatio),
            WithinConditionPixelDiversityMedian = WithinConditionDiversity.Median(diversity.Values.Select(d => d.PixelRatio)),
            PerCondition = diversity,
        };
    }

    private static float[] Gather(float[] pixels, int[] indices, int length)
    {
        var result = new float[indices.Length * length];
        for (var i = 0; i < indices.Length; i++)
            pixels.AsSpan(indices[i] * length, length).CopyTo(result.AsSpan(i * length, length));
        return result;
    }

    private static float[][] Rows(float[] pixels, int length) =>
        Enumerable.Range(0, pixels.Length / length).Select(i => pixels.AsSpan(i * length, length).ToArray()).ToArray();

    private static float[][] Pick(float[][] features, int[] indices) => indices.Select(i => features[i]).ToArray();

    private static double Accuracy(int[] predictions, int[] labels, int[] indices) =>
        indices.Length == 0 ? double.NaN : indices.Count(i => predictions[i] == labels[i]) / (double)indices.Length;
}
