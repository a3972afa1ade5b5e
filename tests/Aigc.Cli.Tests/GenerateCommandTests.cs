using System.CommandLine;
using System.Text.Json;
using Aigc.Cli.Commands;
using Aigc.Imaging.Metadata;
using Microsoft.Data.Sqlite;

namespace Aigc.Cli.Tests;

/// <summary>`aigc generate` end to end: shipped model registered, job queued and run by the worker, PNGs written.</summary>
[Collection("Console")]
public sealed class GenerateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aigc-generate-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Generate_writes_one_png_per_seed_and_the_same_seeds_give_the_same_pixels()
    {
        var config = WorkerSetup.Write(_dir);
        string[] args = ["generate", "--model", "tiny-parity@v1", "--set", "part=gear", "--set", "view=iso", "--set", "complexity=7.5",
            "--count", "3", "--seed", "42", "--preset", "default", "--config", config];

        Assert.Equal(0, await Root().Parse([.. args, "--out", Path.Combine(_dir, "a")]).InvokeAsync());
        Assert.Equal(0, await Root().Parse([.. args, "--out", Path.Combine(_dir, "b"), "--no-metadata"]).InvokeAsync());

        foreach (var seed in new[] { 42, 43, 44 })
        {
            var withMetadata = File.ReadAllBytes(Path.Combine(_dir, "a", $"{seed}.png"));
            var without = File.ReadAllBytes(Path.Combine(_dir, "b", $"{seed}.png"));
            var metadata = BlueprintMetadata.Read(withMetadata)!;
            Assert.Equal((seed, "tiny-parity", "v1", "7.5"), ((int)metadata.Seed, metadata.ModelName, metadata.ModelVersion, metadata.Conditions["complexity"]));
            Assert.Null(BlueprintMetadata.Read(without));
            Assert.Equal(BlueprintMetadata.Strip(withMetadata), without);
        }
    }

    [Fact]
    public async Task An_unknown_condition_value_fails_with_exit_code_1_naming_the_field()
    {
        var config = WorkerSetup.Write(_dir);
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        try
        {
            var code = await Root().Parse(["generate", "--model", "tiny-parity", "--set", "part=sprocket", "--set", "view=iso", "--set", "complexity=1",
                "--out", Path.Combine(_dir, "out"), "--config", config]).InvokeAsync();
            Assert.Equal(1, code);
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.Contains("conditions.part: \"sprocket\" is not a value of \"part\" (bracket, gear, housing)", error.ToString());
        Assert.False(Directory.Exists(Path.Combine(_dir, "out")));
    }

    /// <summary>A shipped folder with random weights for the tiny manifest, and a settings file pointing at it.</summary>

    private static RootCommand Root() => new("aigc") { GenerateCommand.Create() };
}
