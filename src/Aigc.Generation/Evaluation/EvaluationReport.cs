namespace Aigc.Generation.Evaluation;

/// <summary>The "evaluation" section of a model version's metrics.json.</summary>
public sealed record EvaluationReport
{
    public required string MetricVersion { get; init; }

    public string FrechetNote { get; init; } =
        "Fréchet distance on the blueprint classifier's 64 penultimate features: NOT Inception FID, not comparable with published FID values.";

    public required EvaluationCounts Counts { get; init; }

    /// <summary>The real-data classifier's accuracy on held-out real images.</summary>
    public required double RealAccuracy { get; init; }

    /// <summary>GAN-test: that classifier's accuracy on generated images against the class they were conditioned on.</summary>
    public required double ConditionalAccuracy { get; init; }

    /// <summary>GAN-train / classification accuracy score: a classifier trained only on generated images, tested on real ones.</summary>
    public required double CasAccuracy { get; init; }

    public required double CasRelative { get; init; }

    public required double Frechet { get; init; }

    /// <summary>Real-vs-real: two disjoint halves of the held-out real images.</summary>
    public required double FrechetBaseline { get; init; }

    public required double FrechetRatio { get; init; }

    /// <summary>Smallest per-class ratio of generated to real intra-class feature variance (mode-collapse check).</summary>
    public required double VarianceRatioMin { get; init; }

    public required IReadOnlyDictionary<string, ClassMetrics> PerClass { get; init; }

    /// <summary>
    /// Smallest, over exact conditions (part/view/complexity), of generated / real mean variance of classifier features
    /// across images of that one condition: does the generator use its latent?
    /// </summary>
    public required double WithinConditionDiversityMin { get; init; }

    public required double WithinConditionDiversityMedian { get; init; }

    /// <summary>The same ratio on pixels instead of classifier features.</summary>
    public required double WithinConditionPixelDiversityMin { get; init; }

    public required double WithinConditionPixelDiversityMedian { get; init; }

    /// <summary>Keyed "part/view/complexity"; conditions with fewer than two held-out real images are left out.</summary>
    public required IReadOnlyDictionary<string, ConditionDiversity> PerCondition { get; init; }

    /// <summary>The default model's targets (issue 5), checked.</summary>
    public IReadOnlyDictionary<string, bool> Targets => new Dictionary<string, bool>
    {
        ["conditionalAccuracy>=0.95"] = ConditionalAccuracy >= 0.95,
        ["conditionalAccuracyPerClass>=0.85"] = PerClass.Values.All(c => c.ConditionalAccuracy >= 0.85),
        ["casRelative>=0.8"] = CasRelative >= 0.8,
        ["frechetRatio<=3"] = FrechetRatio <= 3,
        ["varianceRatioMin>=0.7"] = VarianceRatioMin >= 0.7,
        ["withinConditionDiversityMin>=0.5"] = WithinConditionDiversityMin >= 0.5,
    };
}

public sealed record EvaluationCounts
{
    public required int RealTrain { get; init; }

    public required int RealTest { get; init; }

    public required int GeneratedTrain { get; init; }

    public required int GeneratedTest { get; init; }

    public required int ClassifierEpochs { get; init; }
}

public sealed record ClassMetrics
{
    public required int Count { get; init; }

    public required double RealAccuracy { get; init; }

    public required double ConditionalAccuracy { get; init; }

    public required double CasAccuracy { get; init; }

    public required double Frechet { get; init; }

    public required double FrechetBaseline { get; init; }

    public required double VarianceRatio { get; init; }
}
