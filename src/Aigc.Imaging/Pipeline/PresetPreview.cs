using Aigc.Imaging.Metadata;

namespace Aigc.Imaging.Pipeline;

/// <summary>
/// A built-in sample, a 64×64 drawing of a bracket (the generator's output size) with sample metadata, so presets can
/// be previewed without a model: by the CLI, and by the admin pages later.
/// </summary>
public static class PresetPreview
{
    private const string DrawingSvg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
        <rect width="64" height="64" fill="#e8e4dc"/>
        <path d="M10 46 L10 20 Q10 14 16 14 L40 14 L54 28 L54 46 Q54 50 50 50 L14 50 Q10 50 10 46 Z" fill="#7d8790" stroke="#3a4046" stroke-width="1.5"/>
        <circle cx="22" cy="32" r="6" fill="#e8e4dc" stroke="#3a4046" stroke-width="1.2"/>
        <circle cx="42" cy="36" r="4" fill="#e8e4dc" stroke="#3a4046" stroke-width="1.2"/>
        <rect x="30" y="20" width="8" height="6" fill="#5b646c"/>
        </svg>
        """;

    /// <summary>The sample drawing as a 64×64 RGB image (owned by the caller).</summary>
    public static VipsImage SampleDrawing()
    {
        using var rgba = VipsImage.FromSvg(DrawingSvg, 64, 64);
        return rgba.Apply(i => i.ExtractBand(0, 3));
    }

    public static BlueprintMetadata SampleMetadata(DateTimeOffset created) => new(
        "sample", "0", new string('0', 64), new Dictionary<string, string> { ["part"] = "L-bracket", ["holes"] = "2" },
        42, "", "preview", created);

    /// <summary>Runs <paramref name="preset"/> on the sample drawing, stamped with sample metadata dated now.</summary>
    public static async Task<ProcessedImage> RunAsync(PostProcessingPipeline pipeline, string preset, CancellationToken cancellationToken = default)
    {
        using var drawing = SampleDrawing();
        return await pipeline.RunAsync(preset, PipelineSource.FromImage(drawing), SampleMetadata(DateTimeOffset.UtcNow), cancellationToken).ConfigureAwait(false);
    }
}
