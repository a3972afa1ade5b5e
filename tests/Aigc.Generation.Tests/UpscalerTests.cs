using Aigc.Generation.Manifest;
using Aigc.Generation.Upscaling;
using Aigc.Neural;
using Aigc.Neural.Layers;

namespace Aigc.Generation.Tests;

/// <summary>The line-art upscaler: its manifest, network, degradation, crispness figures and a short training run.</summary>
public class UpscalerTests
{
    private const string Tiny = """
        { "kind": "upscaler", "name": "tiny", "inputSize": 16, "scale": 2, "features": 6, "blocks": 1 }
        """;

    [Fact]
    public void Shipped_manifests_parse_and_generator_manifests_are_not_upscalers()
    {
        var dir = Path.Combine(AppContext.BaseDirectory, "models");
        var x4 = UpscalerManifest.Load(Path.Combine(dir, "upscalers", "manifest-x4.json"));
        Assert.Equal((64, 4, 256), (x4.InputSize, x4.Scale, x4.OutputSize));
        Assert.True(UpscalerManifest.IsUpscaler(Path.Combine(dir, "upscalers", "manifest-x8.json")));
        Assert.False(UpscalerManifest.IsUpscaler(Path.Combine(dir, "reference", "manifest.json")));
    }

    [Theory]
    [InlineData("\"kind\": \"gan\"", "kind must be \"upscaler\"")]
    [InlineData("\"scale\": 3", "scale must be 2, 4 or 8")]
    [InlineData("\"features\": 0", "features must be between 1 and 256")]
    [InlineData("\"depth\": 3", "depth")]
    [InlineData("\"dilations\": [[1, 2], [1, 2]]", "two values for each of the 1 blocks")]
    [InlineData("\"dilations\": [[1, 2, 4]]", "two values for each of the 1 blocks")]
    [InlineData("\"dilations\": [[0, 2]]", "between 1 and 16")]
    public void A_bad_manifest_is_refused_with_the_reason(string change, string expected)
    {
        var key = change[..change.IndexOf(':', StringComparison.Ordinal)];
        var json = Tiny.Contains(key, StringComparison.Ordinal)
            ? System.Text.RegularExpressions.Regex.Replace(Tiny, key + @": [^,}]+", change)
            : Tiny.Replace("\"blocks\": 1", "\"blocks\": 1, " + change, StringComparison.Ordinal);
        var e = Assert.Throws<ManifestException>(() => UpscalerManifest.Parse(json));
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void The_network_emits_scale_squared_sub_pixels_with_pytorch_state_names()
    {
        var manifest = UpscalerManifest.Parse(Tiny);
        var network = new UpscalerNetwork(Support.Engine("managed").CreateBackend(), manifest);
        network.Initialize(new RandomSource(3));
        var output = network.Forward(new Tensor(2, 1, 16, 12));
        Assert.Equal([2, 1, 32, 24], output.Shape.ToArray());
        var names = network.StateDict().Select(s => s.Name).ToList();
        Assert.Equal(["layers.0.weight", "layers.0.bias", "layers.1.body.0.weight", "layers.1.body.0.bias",
            "layers.1.body.2.weight", "layers.1.body.2.bias", "layers.3.weight", "layers.3.bias"], names);
        Assert.Throws<ArgumentException>(() => network.Forward(new Tensor(1, 3, 16, 16)));
    }

    [Fact]
    public void Dilations_default_to_today_s_network_and_change_what_a_block_sees()
    {
        var plain = UpscalerManifest.Parse(Tiny);
        Assert.Null(plain.Dilations);
        Assert.DoesNotContain("dilations", plain.ToJson(), StringComparison.Ordinal);
        var ones = UpscalerManifest.Parse(Tiny.Replace("\"blocks\": 1", "\"blocks\": 1, \"dilations\": [[1, 1]]",
            StringComparison.Ordinal));
        var dilated = UpscalerManifest.Parse(Tiny.Replace("\"blocks\": 1", "\"blocks\": 1, \"dilations\": [[1, 2]]",
            StringComparison.Ordinal));
        Assert.Equal([[1, 2]], UpscalerManifest.Parse(dilated.ToJson()).Dilations);

        var backend = Support.Engine("managed").CreateBackend();
        var reference = new UpscalerNetwork(backend, plain);
        reference.Initialize(new RandomSource(5));
        var input = new Tensor(1, 1, 16, 16);
        new RandomSource(6).FillUniform(input, -1, 1);
        var expected = reference.Forward(input).Span.ToArray();

        // The same weights (dilation keeps a kernel's shape) in an explicitly undilated and a dilated network.
        float[] Output(UpscalerManifest manifest)
        {
            var network = new UpscalerNetwork(backend, manifest);
            foreach (var ((_, slot), (_, from)) in network.StateDict().Zip(reference.StateDict()))
                ((TensorSlot)from).Tensor.Span.CopyTo(((TensorSlot)slot).Tensor.Span);
            network.Eval();
            return network.Forward(input).Span.ToArray();
        }

        Assert.Equal(expected, Output(ones));
        var changed = Output(dilated);
        Assert.Equal(expected.Length, changed.Length);
        Assert.NotEqual(expected, changed);
        var trained = dilated with
        {
            Training = new UpscalerTrainingRecord
            {
                DataGenerator = "test", DataSeed = 1, Drawings = 1, Degradation = "none", Steps = 1, BatchSize = 1,
                CropSize = 8, LearningRate = 1e-3f, Seed = 1, FinalLoss = 0.1, EngineVersion = "test",
                TrainingSeconds = 1, Machine = "test", FinishedUtc = "2026-12-07T00:00:00Z",
            },
            Metrics = new UpscalerMetrics
            {
                HeldOutSeed = UpscalerTrainingRun.HeldOutSeed, Drawings = 1, Degraded = new(0.5, 0.1),
                Clean = new(0.5, 0.1),
            },
        };
        Assert.Contains("scale 1; dilations per block 1,2)", UpscalerModelCard.Markdown(trained),
            StringComparison.Ordinal);
        Assert.Contains("(conv–ReLU–conv, scale 1),", UpscalerModelCard.Markdown(trained with { Dilations = null }),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Line_f1_and_in_between_share_count_what_they_claim()
    {
        byte[] truth = [0, 255, 255, 0, 0, 0];
        Assert.Equal(1.0, LineQuality.LineF1(truth, truth));
        Assert.Equal(0.0, LineQuality.LineF1([255, 0, 0, 255, 0, 0], truth));
        // One of two line pixels found, no false one: precision 1, recall 0.5, F1 2/3.
        Assert.Equal(2.0 / 3, LineQuality.LineF1([0, 200, 100, 0, 0, 0], truth), 6);
        Assert.Equal(2.0 / 6, LineQuality.InBetweenShare([0, 39, 216, 38, 217, 255]), 6);
        Assert.Throws<ArgumentException>(() => LineQuality.LineF1([0], truth));
    }

    [Fact]
    public void Degradation_is_repeatable_by_seed_and_stays_in_range()
    {
        var pairs = LinePairs.Render(5, 2, 32, 64);
        var a = pairs.DegradedLow(1, LineDegradation.Training, new RandomSource(9));
        var b = pairs.DegradedLow(1, LineDegradation.Training, new RandomSource(9));
        Assert.Equal(a, b);
        var bench = pairs.DegradedLow(1, LineDegradation.Benchmark, new RandomSource(9));
        var clean = LinePairs.ToUnit(pairs.Low[1]);
        Assert.All(bench, v => Assert.InRange(v, 0f, 1f));
        Assert.True(bench.Zip(clean).Count(p => Math.Abs(p.First - p.Second) > 0.05f) > clean.Length / 4,
            "the benchmark's blur and noise should change most pixels");
        var untouched = LinePairs.ToUnit(pairs.Low[1]);
        (LineDegradation.Training with { CleanChance = 1 }).Apply(untouched, 32, new RandomSource(1));
        Assert.Equal(clean, untouched);
        Assert.Throws<ArgumentException>(() => LineDegradation.Benchmark.Apply(new float[10], 32, new RandomSource(1)));
    }

    [Fact]
    public void A_short_run_lowers_the_loss_writes_a_loadable_version_and_refuses_to_overwrite_it()
    {
        var dir = Directory.CreateTempSubdirectory("aigc-upscaler-");
        try
        {
            var manifestPath = Path.Combine(dir.FullName, "tiny.json");
            File.WriteAllText(manifestPath, Tiny);
            var options = new UpscalerTrainingOptions
            {
                ManifestPath = manifestPath, OutputDirectory = Path.Combine(dir.FullName, "v1"), Steps = 120,
                BatchSize = 8, CropSize = 12, Drawings = 24, HeldOut = 8, LearningRate = 3e-3f,
            };
            var engine = Support.Engine("managed");
            var losses = new List<double>();
            var reached = new UpscalerTrainingRun(options, engine).Run(new Collect(losses));
            Assert.Equal(120, reached);
            Assert.True(losses.TakeLast(20).Average() < 0.7 * losses.Take(5).Average(),
                $"loss should fall: first {losses.Take(5).Average():F3}, last {losses.TakeLast(20).Average():F3}");

            var upscaler = LineUpscaler.Load(engine, options.OutputDirectory);
            Assert.NotNull(upscaler.Manifest.Training);
            Assert.InRange(upscaler.Manifest.Metrics!.Clean.F1, 0, 1);
            Assert.Contains("Held-out figures", File.ReadAllText(Path.Combine(options.OutputDirectory, "model-card.md")));
            var image = upscaler.Upscale([new byte[16 * 16]])[0];
            Assert.Equal(32 * 32, image.Length);
            Assert.Throws<ArgumentException>(() => upscaler.Upscale([new byte[10]]));

            Assert.Throws<IOException>(() => new UpscalerTrainingRun(options, engine).Run());
            Assert.Throws<ArgumentException>(() => new UpscalerTrainingRun(options with { CropSize = 17 }, engine).Run());
            Assert.Throws<ArgumentException>(() =>
                new UpscalerTrainingRun(options with { DataSeed = UpscalerTrainingRun.HeldOutSeed }, engine).Run());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private sealed class Collect(List<double> losses) : IProgress<UpscalerStepReport>
    {
        public void Report(UpscalerStepReport value) => losses.Add(value.Loss);
    }
}
