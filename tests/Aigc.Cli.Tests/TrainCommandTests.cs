using System.CommandLine;
using Aigc.Cli.Commands;

namespace Aigc.Cli.Tests;

/// <summary>`aigc train` picks the upscaler trainer from the manifest's kind; generators still need --data.</summary>
public sealed class TrainCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aigc-train-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task An_upscaler_manifest_trains_an_upscaler_version()
    {
        var (code, output) = await TrainTinyUpscalerAsync("--steps", "3", "--batch", "2");
        Assert.Equal(0, code);
        Assert.True(File.Exists(Path.Combine(output, "upscaler.safetensors")));
        Assert.Contains("\"steps\": 3", File.ReadAllText(Path.Combine(output, "manifest.json")));
    }

    [Fact]
    public async Task An_upscaler_trains_16_crops_per_step_unless_told_otherwise()
    {
        var (code, output) = await TrainTinyUpscalerAsync("--steps", "1");
        Assert.Equal(0, code);
        Assert.Contains("\"batchSize\": 16", File.ReadAllText(Path.Combine(output, "manifest.json")));
    }

    [Fact]
    public async Task A_generator_manifest_without_data_is_refused_and_writes_nothing()
    {
        var manifest = Path.Combine(AppContext.BaseDirectory, "fixtures", "tiny_manifest.json");
        var output = Path.Combine(_dir, "g");
        var code = await Root().Parse(["train", "--manifest", manifest, "--out", output]).InvokeAsync();
        Assert.Equal(1, code);
        Assert.False(Directory.Exists(output));
    }

    /// <summary>Trains a 16 → 32 upscaler of 4 features on 4 drawings; returns the exit code and its folder.</summary>
    private async Task<(int Code, string Output)> TrainTinyUpscalerAsync(params string[] options)
    {
        var manifest = Path.Combine(_dir, "up.json");
        File.WriteAllText(manifest, """
            { "kind": "upscaler", "name": "tiny", "inputSize": 16, "scale": 2, "features": 4, "blocks": 1 }
            """);
        var output = Path.Combine(_dir, "v1");
        string[] args = ["train", "--manifest", manifest, "--out", output, .. options,
            "--crop", "8", "--drawings", "4", "--held-out", "2", "--threads", "1"];
        return (await Root().Parse(args).InvokeAsync(), output);
    }

    private static RootCommand Root() => new("aigc") { TrainCommand.Create() };
}
