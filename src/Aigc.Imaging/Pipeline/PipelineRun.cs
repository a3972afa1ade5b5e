using Aigc.Imaging.Metadata;

namespace Aigc.Imaging.Pipeline;

/// <summary>What one run of a preset knows and collects besides the image: provenance, chosen encoding, thumbnail.</summary>
public sealed class PipelineRun(string preset, BlueprintMetadata? metadata)
{
    public string Preset { get; } = preset;
    public BlueprintMetadata? Metadata { get; } = metadata;
    public EncodeSettings Encoding { get; set; } = EncodeSettings.DefaultPng;
    public byte[]? Thumbnail { get; set; }
}
