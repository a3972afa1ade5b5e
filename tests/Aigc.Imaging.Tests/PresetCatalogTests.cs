using Aigc.Imaging.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Aigc.Imaging.Tests.PresetRunner;

namespace Aigc.Imaging.Tests;

public class PresetCatalogTests
{
    private static Dictionary<string, List<Dictionary<string, string>>> Presets(string name, params Dictionary<string, string>[] steps) =>
        new() { [name] = [.. steps] };

    [Fact]
    public void Default_preset_always_exists_and_upscales_sharpens_and_encodes_png()
    {
        using var catalog = PipelinePresetCatalog.Create(new Dictionary<string, List<Dictionary<string, string>>>(), ImageLimits.Default);
        Assert.Equal(["default"], catalog.Names);
        Assert.Equal("upscale → sharpen → encode", catalog.Get("default").Describe());
    }

    [Fact]
    public void Configured_presets_are_listed_beside_default()
    {
        using var catalog = PipelinePresetCatalog.Create(Presets("ad-square", Step("aspect", ("ratio", "1:1")), Step("encode", ("format", "jpeg"), ("quality", "80"))), ImageLimits.Default);
        Assert.Equal(["ad-square", "default"], catalog.Names);
        Assert.Contains("ad-square", Assert.Throws<KeyNotFoundException>(() => catalog.Get("nope")).Message);
    }

    [Fact]
    public void Unknown_step_is_reported_with_preset_and_position()
    {
        var e = Assert.Throws<PresetValidationException>(() => PipelinePresetCatalog.Create(Presets("web", Step("upscale", ("factor", "2")), Step("blur")), ImageLimits.Default));
        Assert.Equal(["Preset 'web', step 2: unknown step 'blur' (known: upscale, sharpen, denoise, levels, blueprint, watermark, aspect, thumbnail, encode)."], e.Errors);
    }

    [Fact]
    public void Bad_parameter_value_names_preset_step_and_parameter()
    {
        var e = Assert.Throws<PresetValidationException>(() => PipelinePresetCatalog.Create(Presets("web", Step("upscale", ("factor", "abc"))), ImageLimits.Default));
        Assert.Contains("Preset 'web', step 1 (upscale): parameter 'factor' must be a number from 0.05 to 32, got 'abc'.", e.Errors);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("-1")]
    [InlineData("fast")]
    public void Png_compression_is_a_zlib_level_or_rle(string compression)
    {
        var e = Assert.Throws<PresetValidationException>(() => PipelinePresetCatalog.Create(
            Presets("web", Step("encode", ("format", "png"), ("compression", compression))), ImageLimits.Default));
        Assert.Equal([$"Preset 'web', step 1 (encode): parameter 'compression' must be a zlib level from 0 to 9 or rle, got '{compression}'."], e.Errors);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var e = Assert.Throws<PresetValidationException>(() => PipelinePresetCatalog.Create(
            Presets("print",
                Step("encode", ("format", "gif")),
                Step("sharpen", ("radius", "2")),
                Step("levels", ("black", "200"), ("white", "100")),
                Step("denoise", ("size", "4")),
                Step("watermark", ("opacity", "2")),
                Step("aspect", ("ratio", "wide")),
                new Dictionary<string, string> { ["format"] = "png" }),
            ImageLimits.Default));
        Assert.Equal(
        [
            "Preset 'print', step 1 (encode): parameter 'format' must be one of png, jpeg, webp, got 'gif'.",
            "Preset 'print', step 1 (encode): 'encode' must be the last step.",
            "Preset 'print', step 2 (sharpen): parameter 'radius' is not a parameter of this step.",
            "Preset 'print', step 3 (levels): parameter 'white' must be greater than 'black' (200), got '100'.",
            "Preset 'print', step 4 (denoise): parameter 'size' must be odd, got '4'.",
            "Preset 'print', step 5 (watermark): needs exactly one of the parameters 'text' or 'logo'.",
            "Preset 'print', step 5 (watermark): parameter 'opacity' must be a number from 0 to 1, got '2'.",
            "Preset 'print', step 6 (aspect): parameter 'ratio' must be a ratio like 16:9 (between 1:20 and 20:1), got 'wide'.",
            "Preset 'print', step 7: has no 'step' naming the step (one of upscale, sharpen, denoise, levels, blueprint, watermark, aspect, thumbnail, encode).",
        ], e.Errors);
    }

    [Fact]
    public void Upscale_needs_exactly_one_of_factor_or_size_and_a_known_kernel()
    {
        var e = Assert.Throws<PresetValidationException>(() => PipelinePresetCatalog.Create(
            new Dictionary<string, List<Dictionary<string, string>>> { ["a"] = [Step("upscale")], ["b"] = [Step("upscale", ("factor", "2"), ("size", "512"), ("kernel", "bicubic"))] }, ImageLimits.Default));
        Assert.Contains("Preset 'a', step 1 (upscale): needs exactly one of the parameters 'factor' or 'size'.", e.Errors);
        Assert.Contains("Preset 'b', step 1 (upscale): needs exactly one of the parameters 'factor' or 'size'.", e.Errors);
        Assert.Contains("Preset 'b', step 1 (upscale): parameter 'kernel' must be one of lanczos3, nearest, learned, got 'bicubic'.", e.Errors);
    }

    [Fact]
    public void Missing_logo_file_is_reported_at_load_time()
    {
        var e = Assert.Throws<PresetValidationException>(() => PipelinePresetCatalog.Create(Presets("brand", Step("watermark", ("logo", "/nonexistent/logo.png"))), ImageLimits.Default));
        Assert.Contains(e.Errors, error => error.StartsWith("Preset 'brand', step 1 (watermark): parameter 'logo' could not be loaded from '/nonexistent/logo.png'"));
    }

    [Fact]
    public void Presets_bind_from_json_configuration_and_bad_ones_fail_options_validation()
    {
        const string json = """
            { "Imaging": { "MaxWidth": 0, "Presets": {
                "blueprint": [ { "step": "upscale", "size": 512 }, { "step": "blueprint", "grid": 16 }, { "step": "encode" } ],
                "broken": [ { "step": "sharpen", "amount": "lots" } ] } } }
            """;
        using var provider = Services(json);
        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<ImagingOptions>>().Value);
        Assert.Contains(e.Failures, f => f.Contains("Imaging:MaxWidth must be between 1 and 65535."));
        Assert.Contains("Imaging:Presets: Preset 'broken', step 1 (sharpen): parameter 'amount' must be a number from 0.25 to 4, got 'lots'.", e.Failures);
    }

    [Fact]
    public async Task AddImaging_resolves_a_working_pipeline_with_configured_presets()
    {
        const string json = """
            { "Imaging": { "Concurrency": 2, "Presets": {
                "blueprint": [ { "step": "upscale", "size": 128 }, { "step": "blueprint", "grid": 16 }, { "step": "encode" } ] } } }
            """;
        using var provider = Services(json);
        var pipeline = provider.GetRequiredService<PostProcessingPipeline>();
        Assert.Equal(["blueprint", "default"], pipeline.Presets.Names);
        using var part = Samples.Part();
        var result = await pipeline.RunAsync("blueprint", PipelineSource.FromImage(part), Samples.Metadata());
        Assert.Equal(new Blueprint.BlueprintSheetLayout(128, 128, 16).SheetWidth, result.Width);
    }

    private static ServiceProvider Services(string json)
    {
        var configuration = new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();
        return new ServiceCollection().AddImaging(configuration).BuildServiceProvider();
    }
}
