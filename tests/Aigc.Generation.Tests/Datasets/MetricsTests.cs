using Aigc.Generation.Datasets;
using Aigc.Generation.Evaluation;
using Aigc.Neural;

namespace Aigc.Generation.Tests.Datasets;

/// <summary>
/// The evaluation on 32-pixel synthesized data (40 per class): a perfect "generator" (the real images themselves)
/// must meet every target, a noise generator none, and the classifier must beat chance by far.
/// </summary>
public class MetricsTests : IClassFixture<MetricsTests.SmallDataset>
{
    private readonly SmallDataset _fixture;
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public MetricsTests(SmallDataset fixture, Xunit.Abstractions.ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
    }

    [Fact]
    public void Frechet_distance_of_known_gaussians()
    {
        var random = new RandomSource(1);
        float[][] Sample(double shift, double scale) => Enumerable.Range(0, 4000)
            .Select(_ => Enumerable.Range(0, 4).Select(i => (float)(shift + scale * random.NextGaussian())).ToArray()).ToArray();
        var a = Sample(0, 1);
        Assert.Equal(0, FrechetDistance.Compute(a, a), 6);
        // N(0, I) vs N(2, I) in 4 dimensions: ‖μ‖² = 16. N(0, I) vs N(0, 4I): 4·(1 + 4 − 2·2) = 4.
        Assert.InRange(FrechetDistance.Compute(a, Sample(2, 1)), 15.5, 16.5);
        Assert.InRange(FrechetDistance.Compute(a, Sample(0, 2)), 3.7, 4.3);
        Assert.InRange(FrechetDistance.MeanVariance(Sample(0, 3)), 8.5, 9.5);
    }

    [Fact]
    public void Real_images_as_generator_meet_the_targets()
    {
        var report = BlueprintEvaluation.Evaluate(_fixture.Engine, _fixture.Data, _fixture.Data.Pixels, _fixture.Options);
        _output.WriteLine($"real accuracy {report.RealAccuracy:P1}, CAS {report.CasRelative:P0} of real, Fréchet baseline {report.FrechetBaseline:F3}");

        Assert.True(report.RealAccuracy > 0.7, $"classifier accuracy {report.RealAccuracy:P0} on held-out real data; chance is 12.5%");
        Assert.Equal(report.RealAccuracy, report.ConditionalAccuracy, 9);
        Assert.Equal(1.0, report.FrechetRatio, 9);
        Assert.Equal(1.0, report.VarianceRatioMin, 9);
        Assert.Equal(1.0, report.WithinConditionDiversityMin, 9);
        Assert.Equal(1.0, report.WithinConditionPixelDiversityMedian, 9);
        Assert.True(report.Targets["withinConditionDiversityMin>=0.5"]);
        Assert.True(report.CasRelative > 0.8, $"CAS {report.CasRelative:P0} of real");
        Assert.Equal((160, 160), (report.Counts.RealTrain, report.Counts.RealTest));
        Assert.Equal(8, report.PerClass.Count);
        Assert.Equal(BlueprintEvaluation.MetricVersion, report.MetricVersion);
        Assert.Contains("not Inception FID", report.FrechetNote, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Noise_as_generator_is_far_from_real()
    {
        var random = new RandomSource(3);
        var noise = new float[_fixture.Data.Pixels.Length];
        for (var i = 0; i < noise.Length; i++)
            noise[i] = (float)random.NextUniform(-1, 1);

        var report = BlueprintEvaluation.Evaluate(_fixture.Engine, _fixture.Data, noise, _fixture.Options);
        _output.WriteLine($"noise: Fréchet {report.Frechet:F3} vs real-vs-real {report.FrechetBaseline:F3}; GAN-test {report.ConditionalAccuracy:P1}");

        Assert.True(report.FrechetBaseline * 10 < report.Frechet, $"real-vs-real {report.FrechetBaseline:F3} should be far below real-vs-noise {report.Frechet:F3}");
        Assert.True(report.ConditionalAccuracy < 0.3, $"GAN-test accuracy {report.ConditionalAccuracy:P0} on noise");
        Assert.True(report.CasRelative < 0.5, $"CAS {report.CasRelative:P0} of real from noise");
        Assert.False(report.Targets["frechetRatio<=3"]);
        Assert.False(report.Targets["conditionalAccuracy>=0.95"]);
    }

    [Fact]
    public void One_fixed_image_per_condition_has_no_within_condition_diversity()
    {
        // Like a generator that ignores its latent: every image of a condition is that condition's first real image.
        var data = _fixture.Data;
        var first = new Dictionary<string, int>();
        var fixedImages = new float[data.Pixels.Length];
        for (var i = 0; i < data.Count; i++)
        {
            var source = first.TryAdd(WithinConditionDiversity.Key(data.Entries[i].Label), i) ? i : first[WithinConditionDiversity.Key(data.Entries[i].Label)];
            data.Pixels.AsSpan(source * data.ImageLength, data.ImageLength).CopyTo(fixedImages.AsSpan(i * data.ImageLength));
        }

        var report = BlueprintEvaluation.Evaluate(_fixture.Engine, data, fixedImages, _fixture.Options);
        _output.WriteLine($"fixed per condition: diversity min {report.WithinConditionDiversityMin:E2}, median {report.WithinConditionDiversityMedian:E2}; per-class variance ratio min {report.VarianceRatioMin:F2}");

        Assert.Equal(0, report.WithinConditionDiversityMedian, 6);
        Assert.Equal(0, report.WithinConditionPixelDiversityMin, 9);
        Assert.False(report.Targets["withinConditionDiversityMin>=0.5"]);
        Assert.True(report.ConditionalAccuracy > 0.5, "the fixed images are real drawings of the right class");
        Assert.All(report.PerCondition.Keys, k => Assert.Equal(3, k.Split('/').Length));
    }

    [Fact]
    public void Within_condition_diversity_is_deterministic()
    {
        var random = new RandomSource(5);
        var noisy = _fixture.Data.Pixels.Select(p => p + 0.3f * (float)random.NextGaussian()).ToArray();
        var first = BlueprintEvaluation.Evaluate(_fixture.Engine, _fixture.Data, noisy, _fixture.Options);
        var second = BlueprintEvaluation.Evaluate(_fixture.Engine, _fixture.Data, noisy, _fixture.Options);

        Assert.Equal(first.PerCondition.Keys, second.PerCondition.Keys);
        foreach (var (key, value) in first.PerCondition)
            Assert.Equal(value, second.PerCondition[key]);
        Assert.True(first.WithinConditionPixelDiversityMin > 1, $"added noise should raise pixel variance (min ratio {first.WithinConditionPixelDiversityMin:F2})");
    }

    [Fact]
    public void Within_condition_diversity_of_known_rows()
    {
        var labels = new[] { new BlueprintLabel("flange", "front", "low"), new("flange", "front", "low"), new("flange", "side", "low") };
        float[][] real = [[0, 0], [2, 4], [9, 9]];
        float[][] generated = [[0, 0], [1, 2], [5, 5]];

        var result = WithinConditionDiversity.Compute(labels, real, generated, real, generated);

        // Variances per dimension: real 2 and 8 (mean 5), generated 0.5 and 2 (mean 1.25): ratio 0.25. The single side view is left out.
        var only = Assert.Single(result);
        Assert.Equal("flange/front/low", only.Key);
        Assert.Equal(0.25, only.Value.FeatureRatio, 12);
        Assert.Equal(2, only.Value.Count);
        Assert.Throws<ArgumentException>(() => WithinConditionDiversity.Compute(labels, real, generated[..2], real, generated));
        Assert.Throws<ArgumentException>(() => WithinConditionDiversity.Compute(labels[2..], real[2..], generated[2..], real[2..], generated[2..]));
    }

    [Fact]
    public void Too_little_data_is_refused()
    {
        using var temp = new TempFolder();
        BlueprintSynthesizer.Write(temp.Path, perClass: 2, size: 32, seed: 1);
        var data = BlueprintDataset.Load(temp.Path);
        var error = Assert.Throws<ArgumentException>(() => BlueprintEvaluation.Evaluate(_fixture.Engine, data, data.Pixels, _fixture.Options));
        Assert.Contains("at least 64 real images", error.Message);
    }

    public sealed class SmallDataset : IDisposable
    {
        private readonly TempFolder _temp = new();

        public SmallDataset()
        {
            BlueprintSynthesizer.Write(_temp.Path, perClass: 40, size: 32, seed: 8);
            Data = BlueprintDataset.Load(_temp.Path);
        }

        public BlueprintDataset Data { get; }

        public NeuralEngine Engine { get; } = Support.Engine("openblas");

        public EvaluationOptions Options { get; } = new() { ClassifierEpochs = 30, Seed = 3 };

        public void Dispose() => _temp.Dispose();
    }
}
