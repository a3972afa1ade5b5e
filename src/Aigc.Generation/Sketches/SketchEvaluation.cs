using System.Diagnostics;
using Aigc.Generation.Datasets;
using Aigc.Neural;

namespace Aigc.Generation.Sketches;

/// <summary>The Proof of issue 28 for one refinement setting (see docs/benchmarks.md).</summary>
public sealed record SketchEvaluationReport
{
    public required int Count { get; init; }

    public required ulong Seed { get; init; }

    public required int Candidates { get; init; }

    public required int Steps { get; init; }

    public required double PartAccuracy { get; init; }

    public required double ViewAccuracy { get; init; }

    public required double ComplexityAccuracy { get; init; }

    /// <summary>Mean line IoU of the reconstruction with the drawing.</summary>
    public required double LineIoU { get; init; }

    /// <summary>Mean line IoU of a random latent with the drawing's true conditions.</summary>
    public required double BaselineLineIoU { get; init; }

    public required double DegradedPartAccuracy { get; init; }

    /// <summary>Mean line IoU of the degraded drawing's reconstruction with the clean drawing.</summary>
    public required double DegradedLineIoU { get; init; }

    public required double MedianMilliseconds { get; init; }
}

public static class SketchEvaluation
{
    /// <summary>
    /// Encodes <paramref name="count"/> synthetic drawings of <paramref name="seed"/> (a seed the encoder never
    /// trained on), clean and hand-degraded (<see cref="SketchDegradation.Hand"/>), and compares with a random latent.
    /// </summary>
    public static SketchEvaluationReport Run(SketchEncoder encoder, int count, ulong seed, SketchRefinement refinement,
        IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        var size = encoder.Network.ImageSize;
        var drawings = SyntheticDrawings.Render(count, seed, size);
        var random = new RandomSource(RandomSource.Mix(seed + 2));
        int parts = 0, views = 0, complexities = 0, degradedParts = 0;
        double iou = 0, degradedIoU = 0;
        var times = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var label = drawings.Labels[i];
            var clock = Stopwatch.StartNew();
            var clean = encoder.Encode(drawings.Image(i), refinement, cancellationToken);
            times.Add(clock.Elapsed.TotalMilliseconds);
            parts += Same(clean, BlueprintConditions.Part, label.Part);
            views += Same(clean, BlueprintConditions.View, label.View);
            complexities += Same(clean, BlueprintConditions.Complexity, label.Complexity);
            iou += clean.LineIoU;
            var sketch = SketchDegradation.Hand.Apply(drawings.Image(i), size, random);
            var degraded = encoder.Encode(sketch, refinement, cancellationToken);
            degradedParts += Same(degraded, BlueprintConditions.Part, label.Part);
            degradedIoU += LineOverlap.IoU(Reconstruct(encoder, degraded), drawings.Image(i));
            if ((i + 1) % 50 == 0)
                progress?.Report($"{i + 1}/{count}: part {parts / (double)(i + 1):P1}, IoU {iou / (i + 1):F3}");
        }

        var baseline = Baseline(encoder.Generator, drawings, seed, cancellationToken);
        times.Sort();
        return new SketchEvaluationReport
        {
            Count = count,
            Seed = seed,
            Candidates = refinement.Candidates,
            Steps = refinement.Steps,
            PartAccuracy = parts / (double)count,
            ViewAccuracy = views / (double)count,
            ComplexityAccuracy = complexities / (double)count,
            LineIoU = iou / count,
            BaselineLineIoU = baseline,
            DegradedPartAccuracy = degradedParts / (double)count,
            DegradedLineIoU = degradedIoU / count,
            MedianMilliseconds = times[times.Count / 2],
        };
    }

    /// <summary>The generator's image for an encoding.</summary>
    public static float[] Reconstruct(SketchEncoder encoder, SketchEncoding encoding) =>
        encoder.Generator.Generate([new GenerationItem(encoding.Conditions, 0) { Latent = encoding.Latent }])[0];

    private static int Same(SketchEncoding encoding, string condition, string value) =>
        encoding.Conditions.Category(condition) == value ? 1 : 0;

    private static double Baseline(Generator generator, SyntheticDrawings drawings, ulong seed, CancellationToken cancellationToken)
    {
        var items = drawings.Labels.Select((l, i) => new GenerationItem(l.ToConditionValues(), RandomSource.Mix(seed + 3), i)).ToArray();
        var images = generator.Generate(items, cancellationToken);
        return images.Select((image, i) => LineOverlap.IoU(image, drawings.Image(i))).Average();
    }
}
