using System.ComponentModel.DataAnnotations;

namespace Aigc.Platform.Studio;

/// <summary>The designer Studio: the size limit of Reproduce uploads and the seed of the condition chips'
/// samples.</summary>
public sealed class StudioOptions
{
    public const string SectionName = "Studio";

    [Range(1024, 64 * 1024 * 1024, ErrorMessage = "Studio:MaxUploadBytes must be between 1 KiB and 64 MiB.")]
    public int MaxUploadBytes { get; set; } = 8 * 1024 * 1024;

    [Range(0, long.MaxValue, ErrorMessage = "Studio:SampleSeed must be 0 or more.")]
    public long SampleSeed { get; set; } = 7;
}
