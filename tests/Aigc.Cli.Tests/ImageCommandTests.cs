using System.CommandLine;
using System.Text.Json;
using Aigc.Cli.Commands;
using Aigc.Imaging;
using Aigc.Imaging.Metadata;

// The commands write to Console, which is process-wide: run these tests one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Aigc.Cli.Tests;

public sealed class ImageCommandTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("aigc-cli-image-");

    private string PathOf(string name) => Path.Combine(_dir.FullName, name);

    private static async Task<(int Code, string Out, string Error)> Aigc(params string[] args)
    {
        var (stdout, stderr) = (new StringWriter(), new StringWriter());
        var (oldOut, oldError) = (Console.Out, Console.Error);
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            var code = await new RootCommand { ImageCommand.Create() }.Parse(args).InvokeAsync();
            return (code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(oldOut);
            Console.SetError(oldError);
        }
    }

    private string SamplePng(BlueprintMetadata? metadata = null)
    {
        using var image = VipsImage.FromTensor(Enumerable.Range(0, 3 * 64 * 64).Select(i => MathF.Sin(i * 0.01f)).ToArray(), 3, 64, 64);
        var png = image.EncodePng();
        var path = PathOf("in.png");
        File.WriteAllBytes(path, metadata?.WriteTo(png) ?? png);
        return path;
    }

    private static BlueprintMetadata Metadata => new("bracket-cgan", "3", new string('a', 64),
        new Dictionary<string, string> { ["part"] = "hinge" }, 77, "", "aigc-neural 0.1", new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task Vectorize_writes_svg_and_dxf_in_millimetres_and_refuses_bad_input_without_writing()
    {
        var pixels = new byte[256 * 256];
        for (var i = 0; i < 256; i++)
            for (var w = 100; w < 104; w++) pixels[w * 256 + i] = pixels[i * 256 + w] = 255; // a 4-px cross
        using (var image = VipsImage.FromPixels(pixels, 256, 256, 1))
            File.WriteAllBytes(PathOf("cross.png"), image.EncodePng());

        var (code, output, error) = await Aigc("image", "vectorize", PathOf("cross.png"), "--format", "svg", "--out", PathOf("cross.svg"));
        Assert.Equal((0, ""), (code, error));
        Assert.Contains("cross.svg: SVG", output);
        var svg = await File.ReadAllTextAsync(PathOf("cross.svg"));
        Assert.Contains("width=\"128mm\"", svg);
        Assert.Equal(4, svg.Split("<polyline").Length - 1); // four arms from the crossing

        (code, _, error) = await Aigc("image", "vectorize", PathOf("cross.png"), "--format", "dxf", "--out", PathOf("cross.dxf"));
        Assert.Equal((0, ""), (code, error));
        Assert.Contains("$INSUNITS", await File.ReadAllTextAsync(PathOf("cross.dxf")));

        await File.WriteAllTextAsync(PathOf("bad.png"), "not an image");
        (code, _, error) = await Aigc("image", "vectorize", PathOf("bad.png"), "--format", "svg", "--out", PathOf("bad.svg"));
        Assert.Equal(1, code);
        Assert.StartsWith("error:", error);
        Assert.False(File.Exists(PathOf("bad.svg")));

        (code, _, error) = await Aigc("image", "vectorize", PathOf("cross.png"), "--format", "dwg", "--out", PathOf("x.dwg"));
        Assert.NotEqual(0, code);
        Assert.Contains("dwg", error);
    }

    [Fact]
    public async Task Process_runs_the_default_preset_and_carries_metadata_over()
    {
        var (code, output, error) = await Aigc("image", "process", SamplePng(Metadata), PathOf("out.png"));
        Assert.Equal((0, ""), (code, error));
        Assert.Contains("PNG 256×256", output);
        var bytes = await File.ReadAllBytesAsync(PathOf("out.png"));
        var metadata = BlueprintMetadata.Read(bytes)!;
        Assert.Equal((77L, "default"), (metadata.Seed, metadata.Preset));
        using var image = VipsImage.Decode(bytes);
        Assert.Equal(256, image.Width);
    }

    [Fact]
    public async Task A_misleading_output_extension_gets_a_warning()
    {
        var (code, _, error) = await Aigc("image", "process", SamplePng(), PathOf("out.jpg"));
        Assert.Equal(0, code);
        Assert.Contains("warning: the preset writes PNG, but 'out.jpg' does not end in .png", error);
        Assert.Equal(ImageFormat.Png, ImageFormatSniffer.Detect(await File.ReadAllBytesAsync(PathOf("out.jpg"))));
    }

    [Fact]
    public async Task Strip_metadata_writes_none()
    {
        var (code, _, _) = await Aigc("image", "process", "--strip-metadata", SamplePng(Metadata), PathOf("out.png"));
        Assert.Equal(0, code);
        Assert.Null(BlueprintMetadata.Read(await File.ReadAllBytesAsync(PathOf("out.png"))));
    }

    [Fact]
    public async Task Info_prints_json_for_scripts()
    {
        var (code, output, _) = await Aigc("image", "info", "--json", SamplePng(Metadata));
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.Equal("png", json.RootElement.GetProperty("format").GetString());
        Assert.Equal(64, json.RootElement.GetProperty("width").GetInt32());
        Assert.Equal(77, json.RootElement.GetProperty("metadata").GetProperty("seed").GetInt64());
        Assert.Equal("hinge", json.RootElement.GetProperty("metadata").GetProperty("conditions").GetProperty("part").GetString());
    }

    [Fact]
    public async Task Info_for_people_shows_drawing_number_and_conditions()
    {
        var (code, output, _) = await Aigc("image", "info", SamplePng(Metadata));
        Assert.Equal(0, code);
        Assert.Contains($"drawing   {Metadata.DrawingNumber}", output);
        Assert.Contains("condition part = hinge", output);
    }

    [Fact]
    public async Task Info_names_the_version_as_the_model_records_it()
    {
        var shipped = Metadata with { ModelName = "blueprints-64", ModelVersion = "v2" };
        var (code, output, _) = await Aigc("image", "info", SamplePng(shipped));
        Assert.Equal(0, code);
        Assert.Contains("model     blueprints-64@v2 (weights sha256", output);
        Assert.DoesNotContain("vv2", output);
    }

    [Fact]
    public async Task Configured_presets_are_listed_and_usable()
    {
        var config = PathOf("settings.json");
        await File.WriteAllTextAsync(config, """
            { "Imaging": { "Presets": { "sheet": [ { "step": "upscale", "size": 128 }, { "step": "blueprint" }, { "step": "encode", "format": "webp" } ] } } }
            """);
        var (code, output, _) = await Aigc("image", "presets", "--config", config);
        Assert.Equal(0, code);
        Assert.Contains("sheet", output);
        Assert.Contains("upscale → blueprint → encode", output);
        (code, output, _) = await Aigc("image", "preview", "--preset", "sheet", "--config", config, PathOf("preview.webp"));
        Assert.Equal(0, code);
        Assert.Equal(ImageFormat.Webp, ImageFormatSniffer.Detect(await File.ReadAllBytesAsync(PathOf("preview.webp"))));
    }

    [Fact]
    public async Task Bad_input_and_bad_configuration_give_exit_code_1_and_a_message()
    {
        await File.WriteAllBytesAsync(PathOf("empty.png"), []);
        var (code, _, error) = await Aigc("image", "process", PathOf("empty.png"), PathOf("out.png"));
        Assert.Equal(1, code);
        Assert.Contains("error: The file is empty", error);

        await File.WriteAllTextAsync(PathOf("text.jpg"), "not an image");
        (code, _, error) = await Aigc("image", "info", PathOf("text.jpg"));
        Assert.Equal(1, code);
        Assert.Contains("not a PNG, JPEG or WebP", error);

        (code, _, error) = await Aigc("image", "process", "--preset", "nope", SamplePng(), PathOf("out.png"));
        Assert.Equal(1, code);
        Assert.Contains("No pipeline preset named 'nope'", error);

        var config = PathOf("bad.json");
        await File.WriteAllTextAsync(config, """{ "Imaging": { "Presets": { "x": [ { "step": "sharpen", "amount": 9 } ] } } }""");
        (code, _, error) = await Aigc("image", "presets", "--config", config);
        Assert.Equal(1, code);
        Assert.Contains("Preset 'x', step 1 (sharpen): parameter 'amount' must be a number from 0.25 to 4, got '9'.", error);
        Assert.False(File.Exists(PathOf("out.png")));
    }

    public void Dispose() => _dir.Delete(recursive: true);
}
