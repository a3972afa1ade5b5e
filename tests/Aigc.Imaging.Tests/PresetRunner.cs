using Aigc.Imaging.Metadata;
using Aigc.Imaging.Pipeline;

namespace Aigc.Imaging.Tests;

/// <summary>Builds a one-off preset from step definitions and runs it, as configuration would.</summary>
internal static class PresetRunner
{
    public static Dictionary<string, string> Step(string step, params (string Key, string Value)[] parameters)
    {
        var values = new Dictionary<string, string> { ["step"] = step };
        foreach (var (key, value) in parameters) values[key] = value;
        return values;
    }

    public static ProcessedImage Run(VipsImage source, BlueprintMetadata? metadata, params Dictionary<string, string>[] steps)
    {
        using var catalog = PipelinePresetCatalog.Create(new Dictionary<string, List<Dictionary<string, string>>> { ["test"] = [.. steps] }, ImageLimits.Default);
        using var pipeline = new PostProcessingPipeline(catalog, ImageLimits.Default, 1);
        return pipeline.Run(catalog.Get("test"), PipelineSource.FromImage(source), metadata);
    }

    public static Pixels RunPixels(VipsImage source, params Dictionary<string, string>[] steps) =>
        Pixels.Of(Run(source, null, steps).Bytes);
}
