using System.ComponentModel.DataAnnotations;

namespace Aigc.Imaging;

/// <summary>Configuration section "Imaging".</summary>
public sealed class ImagingOptions
{
    public const string SectionName = "Imaging";

    [Range(0, 100_000, ErrorMessage = "Imaging:CacheMaxOperations must be between 0 and 100000.")]
    public int CacheMaxOperations { get; set; } = 100;

    [Range(0, 65_536, ErrorMessage = "Imaging:CacheMaxMemoryMegabytes must be between 0 and 65536.")]
    public int CacheMaxMemoryMegabytes { get; set; } = 64;

    [Range(1, 256, ErrorMessage = "Imaging:Concurrency must be between 1 and 256.")]
    public int Concurrency { get; set; } = Environment.ProcessorCount;

    [Range(1, 64, ErrorMessage = "Imaging:ThreadsPerImage must be between 1 and 64.")]
    public int ThreadsPerImage { get; set; } = 1;

    [Range(1, 1L << 31, ErrorMessage = "Imaging:MaxUploadBytes must be between 1 and 2147483648.")]
    public long MaxUploadBytes { get; set; } = 32L * 1024 * 1024;

    [Range(1, 65_535, ErrorMessage = "Imaging:MaxWidth must be between 1 and 65535.")]
    public int MaxWidth { get; set; } = 8192;

    [Range(1, 65_535, ErrorMessage = "Imaging:MaxHeight must be between 1 and 65535.")]
    public int MaxHeight { get; set; } = 8192;

    [Range(1, 1L << 32, ErrorMessage = "Imaging:MaxPixels must be between 1 and 4294967296.")]
    public long MaxPixels { get; set; } = 40_000_000;

    /// <summary>Preset name → ordered steps, each a map with "step" and that step's parameters.</summary>
    public Dictionary<string, List<Dictionary<string, string>>> Presets { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public ImageLimits Limits => new(MaxUploadBytes, MaxWidth, MaxHeight, MaxPixels);
}
