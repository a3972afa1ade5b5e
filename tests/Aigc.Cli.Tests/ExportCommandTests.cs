using System.CommandLine;
using Aigc.Cli.Commands;
using Aigc.Generation;
using Aigc.Generation.Manifest;
using Aigc.Neural;
using Microsoft.Data.Sqlite;
using Microsoft.ML.OnnxRuntime;

namespace Aigc.Cli.Tests;

/// <summary>`aigc export onnx`: the file runs on ONNX Runtime with its documented inputs and gives our image.</summary>
[Collection("Console")]
public sealed class ExportCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aigc-export-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task The_exported_model_takes_one_hot_conditions_and_draws_the_engines_image()
    {
        var config = WorkerSetup.Write(_dir);
        var path = Path.Combine(_dir, "out", "tiny.onnx");
        string[] args = ["export", "onnx", "--model", "tiny-parity@v1", "--out", path, "--config", config];
        Assert.Equal(0, await Root().Parse(args).InvokeAsync());

        var manifest = CganManifest.Load(Path.Combine(_dir, "models", "tiny", "v1", "manifest.json"));
        var engine = Generator.Create(manifest, new NeuralEngine(new NeuralOptions { Threads = 1 }));
        engine.LoadWeights(Path.Combine(_dir, "models", "tiny", "v1", "generator.safetensors"));
        var conditions = new ConditionValues().Set("part", "gear").Set("view", "iso").Set("complexity", 7.5);
        var item = new GenerationItem(conditions, 42);
        var expected = engine.Generate([item])[0];

        using var session = new InferenceSession(path);
        Assert.Contains("\"gear\"", session.ModelMetadata.CustomMetadataMap["aigc.conditions"]);
        using var z = OrtValue.CreateTensorValueFromMemory(engine.Latents([item]), [1, manifest.LatentDim]);
        using var part = OrtValue.CreateTensorValueFromMemory(new float[] { 0, 1, 0 }, [1, 3]);
        using var view = OrtValue.CreateTensorValueFromMemory(new float[] { 0, 1 }, [1, 2]);
        // complexity 7.5 of [0, 10], scaled to [−1, 1].
        using var numeric = OrtValue.CreateTensorValueFromMemory(new float[] { 0.5f }, [1, 1]);
        using var run = new RunOptions();
        using var outputs = session.Run(run, ["z", "c.part", "c.view", "numeric"], [z, part, view, numeric], ["image"]);
        var actual = outputs[0].GetTensorDataAsSpan<float>().ToArray();

        Assert.Equal(expected.Length, actual.Length);
        Assert.True(expected.Zip(actual).Max(p => Math.Abs(p.First - p.Second)) <= 1e-4f);
        Assert.Empty(Directory.GetFiles(Path.Combine(_dir, "out"), "*.partial"));
    }

    [Fact]
    public async Task An_unknown_version_fails_with_exit_code_1_and_writes_nothing()
    {
        var config = WorkerSetup.Write(_dir);
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        try
        {
            var code = await Root().Parse(["export", "onnx", "--model", "tiny-parity@v9",
                "--out", Path.Combine(_dir, "out", "x.onnx"), "--config", config]).InvokeAsync();
            Assert.Equal(1, code);
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.Contains("No model version \"tiny-parity@v9\"", error.ToString());
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }

    private static RootCommand Root() => new("aigc") { ExportCommand.Create() };
}
