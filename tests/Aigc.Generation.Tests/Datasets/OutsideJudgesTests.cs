using Aigc.Generation.Datasets;
using Aigc.Generation.Evaluation;
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

    /// <summary>True drawings of the asked class (a seed of their own), or a hole plate for a flange.</summary>
    private static OutsideJudges.ImageSource Drawings(bool confuse) => (labels, seed, token) =>
    {
        var asked = labels.Select(l => confuse && l.Part == "flange" ? l with { Part = "hole_plate" } : l).ToArray();
        var pixels = new float[asked.Length * Size * Size];
        for (var i = 0; i < asked.Length; i++)
            OutsideJudges.Render(asked[i], seed, i, Size).CopyTo(pixels, i * Size * Size);

        return pixels;
    };
}
