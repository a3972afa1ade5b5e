using Aigc.Generation.Datasets;
using Aigc.Generation.Sketches;
using Aigc.Generation.Upscaling;
using Aigc.Imaging;
using Aigc.Neural;

namespace Aigc.Generation.Evaluation;

/// <summary>
/// Settings of the outside judges. The three synthesis seeds are used by no model's data, no other evaluation and no
/// test: the judges learn from drawings the generator never saw the like of, and judge latents it was never shown.
/// </summary>
public sealed record JudgeOptions
{
    public IReadOnlyList<ulong> Seeds { get; init; } = [101, 202, 303];

    public IReadOnlyList<ClassifierArchitecture> Architectures { get; init; } =
        [ClassifierArchitecture.Strided, ClassifierArchitecture.Wide, ClassifierArchitecture.Pixels];

    /// <summary>The drawings the judges learn from.</summary>
    public ulong TrainingDrawingsSeed { get; init; } = 31_000_001;

    /// <summary>The drawings that check each judge before it judges (its accuracy on real drawings).</summary>
    public ulong CheckDrawingsSeed { get; init; } = 31_000_002;

    /// <summary>The generated images' latents.</summary>
    public ulong LatentSeed { get; init; } = 31_000_003;

    /// <summary>Drawings per part class the judges learn from (nine conditions a class: a multiple of 9).</summary>
    public int TrainingPerClass { get; init; } = 270;

    /// <summary>Real drawings per part class each judge is checked on.</summary>
    public int CheckPerClass { get; init; } = 90;

    /// <summary>Generated images per exact condition (part, view, complexity).</summary>
    public int PerCondition { get; init; } = 12;

    public int Epochs { get; init; } = 8;
}

/// <summary>
/// An outsider's evaluation of a blueprint generator: several classifiers (seeds × architectures) trained on freshly
/// synthesised drawings of seeds nobody trained on, each judging the generator's images of every exact condition.
/// Reported per class and per condition as the mean and the minimum over the judges, so a class one judge finds
/// weak is not averaged away.
/// </summary>
public static class OutsideJudges
{
    public const string MetricVersion = "blueprint-judges/1";

    /// <summary>Draws one image per label (latent index = position), [N·size²] in [−1, 1].</summary>
    public delegate float[] ImageSource(IReadOnlyList<BlueprintLabel> labels, ulong latentSeed,
        CancellationToken token);

    /// <summary>The generator's raw output at its own resolution: what the portal's pipeline starts from.</summary>
    public static ImageSource RawOutput(Generator generator) => (labels, seed, token) =>
    {
        var items = labels.Select((l, i) => new GenerationItem(l.ToConditionValues(), seed, i)).ToArray();
        return generator.Generate(items, token).SelectMany(image => image).ToArray();
    };

    /// <summary>
    /// The learned upscaler's output (what the default preset shows), reduced back to the judges' size by libvips'
    /// thumbnail: does enlarging keep each drawing's class? Not a judgement of the fine detail at the larger size.
    /// </summary>
    public static ImageSource UpscaledOutput(Generator generator, LineUpscaler upscaler) => (labels, seed, token) =>
    {
        var (size, enlarged) = (upscaler.Manifest.InputSize, upscaler.Manifest.OutputSize);
        var raw = RawOutput(generator)(labels, seed, token);
        var length = size * size;
        // The generator's image as the pipeline makes it 8-bit (VipsImage.FromTensor), which the upscaler takes.
        var grey = Enumerable.Range(0, labels.Count).Select(n =>
        {
            using var image = VipsImage.FromTensor(raw.AsSpan(n * length, length), 1, size, size);
            return image.ToPixels();
        }).ToList();
        var result = new float[raw.Length];
        const int chunk = 64;
        for (var start = 0; start < grey.Count; start += chunk)
        {
            var batch = upscaler.Upscale(grey.GetRange(start, Math.Min(chunk, grey.Count - start)), token);
            for (var b = 0; b < batch.Length; b++)
            {
                using var big = VipsImage.FromPixels(batch[b], enlarged, enlarged, 1);
                using var small = big.Thumbnail(size, size);
                var bytes = small.ToPixels();
                for (var p = 0; p < length; p++)
                    result[(start + b) * length + p] = bytes[p] / 127.5f - 1f;
            }
        }

        return result;
    };

    public static JudgeReport Run(ImageSource images, int imageSize, NeuralEngine engine, JudgeOptions options,
        IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var parts = BlueprintConditions.Parts;
        progress?.Report($"drawing {options.TrainingPerClass * parts.Count} + {options.CheckPerClass * parts.Count} " +
                         "fresh drawings for the judges");
        var training = SyntheticDrawings.Render(options.TrainingPerClass * parts.Count, options.TrainingDrawingsSeed,
            imageSize);
        var check = SyntheticDrawings.Render(options.CheckPerClass * parts.Count, options.CheckDrawingsSeed, imageSize);
        var trainingClasses = training.Labels.Select(l => l.PartIndex).ToArray();
        var checkClasses = check.Labels.Select(l => l.PartIndex).ToArray();
        var conditions = AllConditions();
        var asked = conditions.SelectMany(c => Enumerable.Repeat(c, options.PerCondition)).ToArray();
        progress?.Report($"generating {asked.Length} images ({options.PerCondition} per condition)");
        var generated = images(asked, options.LatentSeed, cancellationToken);
        if (generated.Length != asked.Length * imageSize * imageSize)
            throw new InvalidOperationException($"The image source drew {generated.Length} pixels for {asked.Length} " +
                                                $"images of {imageSize}².");

        var askedClasses = asked.Select(l => l.PartIndex).ToArray();
        var verdicts = new List<JudgeVerdict>();
        foreach (var architecture in options.Architectures)
            foreach (var seed in options.Seeds)
            {
                progress?.Report($"training judge {architecture} seed {seed}");
                var judge = new BlueprintClassifier(engine, imageSize, parts.Count, seed, architecture);
                judge.Train(training.Pixels, trainingClasses, options.Epochs, cancellationToken: cancellationToken);
                var (checkPredictions, _) = judge.Infer(check.Pixels, cancellationToken);
                var (verdict, _) = judge.Infer(generated, cancellationToken);
                verdicts.Add(new JudgeVerdict(architecture, seed, Share(checkPredictions, checkClasses, _ => true),
                    verdict));
            }

        return Report(options, asked, askedClasses, verdicts);
    }

    private static JudgeReport Report(JudgeOptions options, BlueprintLabel[] asked, int[] askedClasses,
        List<JudgeVerdict> verdicts)
    {
        var perClass = BlueprintConditions.Parts.Select((part, c) => (part, Spread(verdicts
                .Select(v => Share(v.Predictions, askedClasses, i => askedClasses[i] == c)))))
            .ToDictionary(x => x.part, x => x.Item2);
        var perCondition = AllConditions().Select(l => (Key(l), Spread(verdicts
                .Select(v => Share(v.Predictions, askedClasses, i => asked[i] == l)))))
            .ToDictionary(x => x.Item1, x => x.Item2);
        var perJudge = verdicts.Select(v => Share(v.Predictions, askedClasses, _ => true)).ToList();
        var worstClass = perClass.MinBy(c => (c.Value.Min, c.Value.Mean));
        var worstCondition = perCondition.MinBy(c => (c.Value.Min, c.Value.Mean));
        return new JudgeReport
        {
            MetricVersion = MetricVersion,
            Seeds = new JudgeSeeds(options.TrainingDrawingsSeed, options.CheckDrawingsSeed, options.LatentSeed),
            TrainingDrawingsPerClass = options.TrainingPerClass,
            ImagesPerCondition = options.PerCondition,
            Epochs = options.Epochs,
            Judges = verdicts.Select((v, i) => new JudgeSummary(v.Architecture.ToString().ToLowerInvariant(), v.Seed,
                v.RealAccuracy, perJudge[i])).ToList(),
            ConditionalAccuracy = Spread(perJudge),
            PerClass = perClass,
            PerCondition = perCondition,
            WorstClass = worstClass.Key,
            WorstCondition = worstCondition.Key,
        };
    }

    /// <summary>Every exact condition of the blueprint schema: 8 parts × 3 views × 3 complexities.</summary>
    private static List<BlueprintLabel> AllConditions() =>
        (from part in BlueprintConditions.Parts
         from view in BlueprintConditions.Views
         from complexity in BlueprintConditions.Complexities
         select new BlueprintLabel(part, view, complexity)).ToList();

    private static string Key(BlueprintLabel label) => $"{label.Part}/{label.View}/{label.Complexity}";

    private static double Share(int[] predictions, int[] classes, Func<int, bool> include)
    {
        var (right, all) = (0, 0);
        for (var i = 0; i < predictions.Length; i++)
        {
            if (!include(i))
                continue;
            all++;
            if (predictions[i] == classes[i])
                right++;
        }

        return all == 0 ? double.NaN : right / (double)all;
    }

    private static JudgeSpread Spread(IEnumerable<double> shares)
    {
        var values = shares.ToList();
        return new JudgeSpread(values.Average(), values.Min(), values.Max());
    }

    private sealed record JudgeVerdict(ClassifierArchitecture Architecture, ulong Seed, double RealAccuracy,
        int[] Predictions);
}

/// <summary>The "judges" section of a model version's metrics.json.</summary>
public sealed record JudgeReport
{
    public required string MetricVersion { get; init; }

    /// <summary>What was judged: the generator's raw output, or the upscaler whose output was.</summary>
    public string Source { get; init; } = "raw";

    public required JudgeSeeds Seeds { get; init; }

    public required int TrainingDrawingsPerClass { get; init; }

    public required int ImagesPerCondition { get; init; }

    public required int Epochs { get; init; }

    /// <summary>Each judge's accuracy on fresh real drawings (is it competent?) and on the generated ones.</summary>
    public required IReadOnlyList<JudgeSummary> Judges { get; init; }

    /// <summary>GAN-test over all conditions: mean, min and max over the judges.</summary>
    public required JudgeSpread ConditionalAccuracy { get; init; }

    public required IReadOnlyDictionary<string, JudgeSpread> PerClass { get; init; }

    /// <summary>Keyed "part/view/complexity".</summary>
    public required IReadOnlyDictionary<string, JudgeSpread> PerCondition { get; init; }

    /// <summary>The class with the lowest minimum over the judges.</summary>
    public required string WorstClass { get; init; }

    public required string WorstCondition { get; init; }
}

public sealed record JudgeSeeds(ulong TrainingDrawings, ulong CheckDrawings, ulong Latents);

public sealed record JudgeSummary(string Architecture, ulong Seed, double RealAccuracy, double ConditionalAccuracy);

public sealed record JudgeSpread(double Mean, double Min, double Max);
