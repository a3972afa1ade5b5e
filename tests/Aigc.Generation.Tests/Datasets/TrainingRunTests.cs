using System.Text.Json;
using Aigc.Generation.Datasets;
using Aigc.Generation.Manifest;
using Aigc.Generation.Training;

namespace Aigc.Generation.Tests.Datasets;

public class TrainingRunTests
{
    private const string TinyManifest = """
    {
      "name": "tiny-blueprints", "latentDim": 8, "imageSize": 16, "channels": 1, "init": "dcgan",
      "conditions": [
        { "name": "part", "kind": "categorical", "values": ["spur_gear", "flange", "bracket", "stepped_shaft", "ball_bearing", "hex_nut", "pulley", "hole_plate"], "embeddingDim": 4 },
        { "name": "view", "kind": "categorical", "values": ["front", "side", "section"], "embeddingDim": 2 },
        { "name": "complexity", "kind": "categorical", "values": ["low", "medium", "high"], "embeddingDim": 2 }
      ],
      "generator": { "layers": [
        { "type": "convTranspose2d", "out": 16, "kernel": 4, "stride": 1, "padding": 0, "bias": false }, { "type": "batchNorm2d" }, { "type": "relu" },
        { "type": "convTranspose2d", "out": 8, "kernel": 4, "stride": 2, "padding": 1, "bias": false }, { "type": "batchNorm2d" }, { "type": "relu" },
        { "type": "convTranspose2d", "out": 1, "kernel": 4, "stride": 2, "padding": 1 }, { "type": "tanh" } ] },
      "discriminator": { "layers": [
        { "type": "conv2d", "out": 8, "kernel": 4, "stride": 2, "padding": 1 }, { "type": "leakyRelu", "slope": 0.2 },
        { "type": "conv2d", "out": 16, "kernel": 4, "stride": 2, "padding": 1 }, { "type": "leakyRelu", "slope": 0.2 },
        { "type": "flatten" } ] }
    }
    """;

    [Fact]
    public void Smoke_run_writes_a_complete_model_version_with_finite_losses()
    {
        using var temp = Setup(out var options);
        var reached = new CganTrainingRun(options, Support.Engine("openblas")).Run();

        Assert.Equal(6, reached);
        var log = File.ReadAllLines(Path.Combine(options.OutputDirectory, CganTrainingRun.MetricsLog)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([1L, 2, 3, 4, 5, 6], log.Select(l => l.GetProperty("step").GetInt64()));
        Assert.All(log, l => Assert.True(double.IsFinite(l.GetProperty("lossD").GetDouble()) && double.IsFinite(l.GetProperty("lossG").GetDouble())));

        var manifestText = File.ReadAllText(Path.Combine(options.OutputDirectory, "manifest.json"));
        Assert.DoesNotContain("\"schema\"", manifestText);
        Assert.DoesNotContain("isCategorical", manifestText);
        var manifest = CganManifest.Load(Path.Combine(options.OutputDirectory, "manifest.json"));
        Assert.Equal(DatasetFolder.Hash(options.DataDirectory), manifest.Training!.DataHash);
        Assert.Equal((6, 8, "hinge"), (manifest.Training.Steps, manifest.Training.BatchSize, manifest.Training.Loss));
        Assert.StartsWith("Aigc.Neural ", manifest.Training.EngineVersion);
        Assert.False(string.IsNullOrEmpty(manifest.Card!.License));

        var generator = Generator.Create(manifest, Support.Engine("openblas"));
        generator.LoadWeights(Path.Combine(options.OutputDirectory, CganTrainingRun.WeightsFile));
        var image = generator.Generate([new GenerationItem(new BlueprintLabel("flange", "front", "low").ToConditionValues(), 1)])[0];
        Assert.Equal(256, image.Length);
        Assert.All(image, v => Assert.True(float.IsFinite(v)));

        using var samples = Imaging.VipsImage.Decode(File.ReadAllBytes(Path.Combine(options.OutputDirectory, CganTrainingRun.SamplesFile)));
        Assert.Equal(8 * (32 + 2) + 2, samples.Height);
        Assert.True(File.Exists(Path.Combine(options.OutputDirectory, "samples", "step-000004.png")));
        using var metrics = JsonDocument.Parse(File.ReadAllText(Path.Combine(options.OutputDirectory, ModelMetricsFile.FileName)));
        Assert.Equal(6, metrics.RootElement.GetProperty("training").GetProperty("steps").GetInt32());
    }

    [Fact]
    public void Stopping_then_resuming_is_bit_identical_to_an_uninterrupted_run()
    {
        using var temp = Setup(out var options);
        new CganTrainingRun(options, Support.Engine("openblas")).Run();

        var interrupted = options with { OutputDirectory = temp["interrupted"] };
        using var stop = new CancellationTokenSource();
        var reached = new CganTrainingRun(interrupted, Support.Engine("openblas"))
            .Run(new Inline(r => { if (r.Step == 3) stop.Cancel(); }), stop.Token);
        Assert.Equal(3, reached);
        Assert.False(File.Exists(Path.Combine(interrupted.OutputDirectory, "manifest.json")));
        Assert.False(File.Exists(Path.Combine(interrupted.OutputDirectory, CganCheckpoint.FileName + ".tmp")));

        // As a kill would leave it: a step logged after the checkpoint, then a torn line.
        File.AppendAllText(Path.Combine(interrupted.OutputDirectory, CganTrainingRun.MetricsLog), "{\"step\":4,\"lossD\":1,\"lossG\":1}\n{\"step\":5,\"lo");
        Assert.Equal(6, new CganTrainingRun(interrupted with { Resume = true }, Support.Engine("openblas")).Run());

        foreach (var file in new[] { CganTrainingRun.WeightsFile, CganCheckpoint.FileName, CganTrainingRun.SamplesFile })
            Assert.True(File.ReadAllBytes(Path.Combine(options.OutputDirectory, file)).SequenceEqual(File.ReadAllBytes(Path.Combine(interrupted.OutputDirectory, file))),
                $"{file} differs after stop and resume");
        Assert.Equal(Losses(options.OutputDirectory), Losses(interrupted.OutputDirectory));
    }

    [Fact]
    public void Refuses_to_overwrite_a_run_resume_without_checkpoint_or_an_unfit_manifest()
    {
        using var temp = Setup(out var options);
        new CganTrainingRun(options, Support.Engine("openblas")).Run();
        Assert.Contains("--resume", Assert.Throws<IOException>(() => new CganTrainingRun(options, Support.Engine("openblas")).Run()).Message);
        var fresh = options with { OutputDirectory = temp["fresh"], Resume = true };
        Assert.Contains("does not exist", Assert.Throws<IOException>(() => new CganTrainingRun(fresh, Support.Engine("openblas")).Run()).Message);

        var shorter = options with { Steps = 5, Resume = true };
        Assert.Contains("beyond --steps 5", Assert.Throws<ArgumentException>(() => new CganTrainingRun(shorter, Support.Engine("openblas")).Run()).Message);

        File.WriteAllText(temp["wrong.json"], TinyManifest.Replace("\"hole_plate\"]", "\"sprocket\"]"));
        var wrong = options with { OutputDirectory = temp["wrong"], ManifestPath = temp["wrong.json"] };
        var error = Assert.Throws<ManifestException>(() => new CganTrainingRun(wrong, Support.Engine("openblas")).Run());
        Assert.Contains("part \"hole_plate\" is not among the manifest's values", error.Message);
    }

    private static TempFolder Setup(out TrainingRunOptions options)
    {
        var temp = new TempFolder();
        BlueprintSynthesizer.Write(temp["data"], perClass: 3, size: 16, seed: 2);
        File.WriteAllText(temp["manifest.json"], TinyManifest);
        options = new TrainingRunOptions
        {
            DataDirectory = temp["data"],
            ManifestPath = temp["manifest.json"],
            OutputDirectory = temp["run"],
            Steps = 6,
            BatchSize = 8,
            Seed = 4,
            SampleEvery = 4,
            CheckpointEvery = 2,
            Settings = new CganTrainingSettings { EmaDecay = 0.9f },
        };
        return temp;
    }

    private static List<(double, double)> Losses(string run) =>
        File.ReadAllLines(Path.Combine(run, CganTrainingRun.MetricsLog))
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Select(e => (e.GetProperty("lossD").GetDouble(), e.GetProperty("lossG").GetDouble())).ToList();

    private sealed class Inline(Action<StepReport> action) : IProgress<StepReport>
    {
        public void Report(StepReport value) => action(value);
    }
}
