using Aigc.Generation.Datasets;
using Aigc.Generation.Evaluation;
using Aigc.Generation.Manifest;
using Aigc.Generation.Sketches;
using Aigc.Generation.Upscaling;
using Aigc.Neural;

namespace Aigc.Generation.Tests.Datasets;

/// <summary>
/// The outside judges on 32-pixel drawings: a "generator" that draws every class right but draws a hole plate when
/// asked for a flange must come out with flange as its worst class and condition, every judge competent on real
/// drawings, and the spread over judges ordered (min ≤ mean ≤ max).
/// </summary>
public class OutsideJudgesTests
{
    private const int Size = 32;

    private static readonly JudgeOptions Small = new()
    {
        Seeds = [5],
        Architectures = [ClassifierArchitecture.Strided, ClassifierArchitecture.Wide, ClassifierArchitecture.Pixels],
        TrainingPerClass = 45,
        CheckPerClass = 18,
        PerCondition = 3,
        Epochs = 8,
    };

    [Fact]
    public void A_generator_that_draws_one_class_wrong_has_it_as_its_worst_class_under_every_judge()
    {
        var engine = new NeuralEngine(new NeuralOptions { Threads = 1 });
        var report = OutsideJudges.Run(Drawings(confuse: true), Size, engine, Small);

        Assert.Equal(3, report.Judges.Count);
        Assert.Equal(["strided", "wide", "pixels"], report.Judges.Select(j => j.Architecture));
        Assert.All(report.Judges,
            j => Assert.True(j.RealAccuracy > 0.6, $"{j.Architecture}: {j.RealAccuracy:P0} on real drawings"));
        Assert.Equal("flange", report.WorstClass);
        Assert.True(report.PerClass["flange"].Max < 0.3,
            $"flange drawn as hole plates judged {report.PerClass["flange"].Max:P0}");
        Assert.StartsWith("flange/", report.WorstCondition, StringComparison.Ordinal);
        var others = report.PerClass.Where(c => c.Key != "flange").Select(c => c.Value.Mean).Average();
        Assert.True(others > 0.6, $"the other classes {others:P0}");
        Assert.All(report.PerClass.Values.Concat(report.PerCondition.Values).Append(report.ConditionalAccuracy),
            s => Assert.True(s.Min <= s.Mean && s.Mean <= s.Max, $"{s}"));
        Assert.Equal(72, report.PerCondition.Count);
        Assert.Equal(OutsideJudges.MetricVersion, report.MetricVersion);
    }

    [Fact]
    public void An_image_source_that_draws_the_wrong_number_of_images_is_refused()
    {
        var engine = new NeuralEngine(new NeuralOptions { Threads = 1 });
        OutsideJudges.ImageSource oneShort = (labels, _, _) => new float[(labels.Count - 1) * Size * Size];
        var error = Assert.Throws<InvalidOperationException>(() => OutsideJudges.Run(oneShort, Size, engine,
            Small with { TrainingPerClass = 9, CheckPerClass = 9, Epochs = 1 }));
        Assert.Contains("216 images", error.Message);
    }

    [Fact]
    public void The_upscaled_source_gives_the_shipped_generators_drawings_back_at_its_size_enlarged_and_reduced()
    {
        var folder = Path.Combine(RepositoryFolders.Models, "blueprints", "v2");
        var engine = Support.Engine("openblas");
        var generator = Generator.Create(CganManifest.Load(Path.Combine(folder, "manifest.json")), engine);
        generator.LoadWeights(Path.Combine(folder, "generator.safetensors"));
        var upscaler = LineUpscaler.Load(engine, Path.Combine(RepositoryFolders.Models, "upscalers", "x4"));
        BlueprintLabel[] labels = [new("flange", "front", "high"), new("bracket", "side", "low")];

        var raw = OutsideJudges.RawOutput(generator)(labels, 7, CancellationToken.None);
        var upscaled = OutsideJudges.UpscaledOutput(generator, upscaler)(labels, 7, CancellationToken.None);

        Assert.Equal(2 * 64 * 64, upscaled.Length);
        Assert.All(upscaled, v => Assert.InRange(v, -1f, 1f));
        // The same drawings, cleaned by the upscaler: close to the raw ones, not a copy of them.
        var difference = raw.Zip(upscaled, (a, b) => Math.Abs(a - b)).Average();
        Assert.InRange(difference, 0.005, 0.25);
        // Each image its own: the flange's pixels are not the bracket's.
        var across = raw.Take(4096).Zip(upscaled.Skip(4096), (a, b) => Math.Abs(a - b)).Average();
        Assert.True(across > 2 * difference, $"across images {across:G3}, same image {difference:G3}");
    }

    /// <summary>True drawings of the asked class (a seed of their own), or a hole plate for a flange.</summary>
    private static OutsideJudges.ImageSource Drawings(bool confuse) => (labels, seed, token) =>
    {
        var asked = labels.Select(l => confuse && l.Part == "flange" ? l with { Part = "hole_plate" } : l).ToArray();
        var pixels = new float[asked.Length * Size * Size];
        for (var i = 0; i < asked.Length; i++)
            SyntheticDrawings.Drawing(asked[i], seed, i, Size).CopyTo(pixels, i * Size * Size);

        return pixels;
    };
}
