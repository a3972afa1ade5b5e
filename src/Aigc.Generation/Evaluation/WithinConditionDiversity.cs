using Aigc.Generation.Datasets;

namespace Aigc.Generation.Evaluation;

/// <summary>
/// Diversity inside one exact condition (part, view, complexity): how much generated images of that condition,
/// drawn from different latents, vary compared with real images of it. A generator that follows its conditions but
/// ignores its latent passes the per-class checks (views and complexities already differ) and fails this one.
/// </summary>
public static class WithinConditionDiversity
{
    /// <summary>
    /// Per condition with at least two images: mean per-dimension variance of generated / real, on features and on
    /// pixels. <paramref name="labels"/>, <paramref name="real"/> and <paramref name="generated"/> are aligned
    /// (generated i was conditioned on labels i).
    /// </summary>
    public static IReadOnlyDictionary<string, ConditionDiversity> Compute(IReadOnlyList<BlueprintLabel> labels,
        IReadOnlyList<float[]> realFeatures, IReadOnlyList<float[]> generatedFeatures,
        IReadOnlyList<float[]> realPixels, IReadOnlyList<float[]> generatedPixels)
    {
        if (realFeatures.Count != labels.Count || generatedFeatures.Count != labels.Count || realPixels.Count != labels.Count || generatedPixels.Count != labels.Count)
            throw new ArgumentException($"Within-condition diversity needs one real and one generated image per label ({labels.Count} labels).");
        var result = new SortedDictionary<string, ConditionDiversity>(StringComparer.Ordinal);
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(i => Key(labels[i])))
        {
            var members = group.ToArray();
            if (members.Length < 2)
                continue;
            result[group.Key] = new ConditionDiversity
            {
                Count = members.Length,
                FeatureRatio = Ratio(MeanVariance(generatedFeatures, members), MeanVariance(realFeatures, members)),
                PixelRatio = Ratio(MeanVariance(generatedPixels, members), MeanVariance(realPixels, members)),
            };
        }

        if (result.Count == 0)
            throw new ArgumentException("Within-condition diversity needs at least two held-out real images of one condition.");
        return result;
    }

    public static string Key(BlueprintLabel label) => $"{label.Part}/{label.View}/{label.Complexity}";

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>Mean over dimensions of the unbiased variance across the chosen rows (diagonal only: pixels have 4,096 dimensions).</summary>
    public static double MeanVariance(IReadOnlyList<float[]> rows, IReadOnlyList<int> members)
    {
        var d = rows[members[0]].Length;
        var mean = new double[d];
        foreach (var m in members)
            for (var i = 0; i < d; i++)
                mean[i] += rows[m][i];
        for (var i = 0; i < d; i++)
            mean[i] /= members.Count;
        var sum = 0.0;
        foreach (var m in members)
            for (var i = 0; i < d; i++)
            {
                var delta = rows[m][i] - mean[i];
                sum += delta * delta;
            }

        return sum / ((members.Count - 1) * (double)d);
    }

    // A real condition without any variance (identical drawings) makes any generated variance infinitely diverse;
    // the floor keeps the ratio finite and still large.
    private static double Ratio(double generated, double real) => generated / Math.Max(real, 1e-12);
}

public sealed record ConditionDiversity
{
    /// <summary>Held-out real images of this condition (and as many generated ones, each from its own latent).</summary>
    public required int Count { get; init; }

    /// <summary>Mean variance of the classifier's penultimate features, generated / real.</summary>
    public required double FeatureRatio { get; init; }

    /// <summary>Mean per-pixel variance, generated / real.</summary>
    public required double PixelRatio { get; init; }
}
