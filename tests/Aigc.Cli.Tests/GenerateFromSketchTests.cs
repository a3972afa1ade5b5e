using System.CommandLine;
using Aigc.Cli.Commands;
using Aigc.Generation.Datasets;
using Aigc.Imaging.Metadata;
using Aigc.Testing;
using Microsoft.Data.Sqlite;

namespace Aigc.Cli.Tests;

/// <summary>
/// `aigc generate --from-sketch`: with the shipped v2 version and its encoder, a drawing's closest image and its
/// variants come out with the sketch recipe in their metadata; a bad file fails with exit code 1 and the reason.
/// </summary>
[Collection("Console")]
public sealed class GenerateFromSketchTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aigc-sketch-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private string Setup()
    {
        var shipped = Directory.CreateDirectory(Path.Combine(_dir, "models", "blueprints", "v2")).FullName;
        foreach (var file in new[] { "manifest.json", "generator.safetensors", "encoder.safetensors" })
            File.Copy(Path.Combine(RepositoryFolders.Models, "blueprints", "v2", file), Path.Combine(shipped, file));
        var config = Path.Combine(_dir, "settings.json");
        File.WriteAllText(config, System.Text.Json.JsonSerializer.Serialize(new
        {
            Platform = new { DataDirectory = Path.Combine(_dir, "data") },
            Queue = new { ShippedModelsDirectory = Path.Combine(_dir, "models"), IdlePollMilliseconds = 20 },
        }));
        return config;
    }

    [Fact]
    public async Task A_drawing_gives_its_closest_image_and_variants_with_the_sketch_recipe()
    {
        var config = Setup();
        var drawing = Path.Combine(_dir, "pulley.png");
        File.WriteAllBytes(drawing, BlueprintSynthesizer.RenderPng(new BlueprintLabel("pulley", "front", "medium"), 31_337, 0, 300));

        Assert.Equal(0, await Root().Parse(["generate", "--model", "blueprints-64", "--from-sketch", drawing,
            "--out", Path.Combine(_dir, "closest"), "--config", config]).InvokeAsync());
        var closest = Directory.GetFiles(Path.Combine(_dir, "closest"));
        var metadata = BlueprintMetadata.Read(File.ReadAllBytes(Assert.Single(closest)))!;
        Assert.Equal(("pulley", "sketch"), (metadata.Conditions["part"], metadata.Recipe!.Kind));

        Assert.Equal(0, await Root().Parse(["generate", "--model", "blueprints-64", "--from-sketch", drawing, "--set", "view=side",
            "--strength", "0.3", "--count", "2", "--out", Path.Combine(_dir, "variants"), "--config", config]).InvokeAsync());
        var variants = Directory.GetFiles(Path.Combine(_dir, "variants")).Order().ToArray();
        Assert.Equal(2, variants.Length);
        var second = BlueprintMetadata.Read(File.ReadAllBytes(variants[1]))!;
        Assert.Equal(("side", metadata.Recipe.Latent, 0.3), (second.Conditions["view"], second.Recipe!.Latent, second.Recipe.Strength!.Value));
    }

    [Fact]
    public async Task A_file_that_is_not_a_drawing_fails_with_exit_code_1_and_the_reason()
    {
        var config = Setup();
        var bad = Path.Combine(_dir, "notes.txt");
        File.WriteAllText(bad, "just some text");
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(1, await Root().Parse(["generate", "--model", "blueprints-64", "--from-sketch", bad,
                "--out", Path.Combine(_dir, "out"), "--config", config]).InvokeAsync());
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.Contains("sketch: The sketch is neither a PNG, JPEG or WebP image nor a well-formed SVG", error.ToString());
    }

    private static RootCommand Root() => new() { GenerateCommand.Create() };
}
