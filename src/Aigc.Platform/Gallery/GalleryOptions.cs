using System.ComponentModel.DataAnnotations;

namespace Aigc.Platform.Gallery;

/// <summary>Configuration section "Gallery": grid windows, selections, and how long deleted blueprints can be restored.</summary>
public sealed class GalleryOptions
{
    public const string SectionName = "Gallery";

    [Range(1, 8760, ErrorMessage = "Gallery:RetentionHours must be between 1 and 8760.")]
    public int RetentionHours { get; set; } = 720;

    [Range(10, 86_400, ErrorMessage = "Gallery:PurgeIntervalSeconds must be between 10 and 86400.")]
    public int PurgeIntervalSeconds { get; set; } = 3600;

    [Range(8, 200, ErrorMessage = "Gallery:PageSize must be between 8 and 200.")]
    public int PageSize { get; set; } = 48;

    [Range(1, 50_000, ErrorMessage = "Gallery:MaxSelection must be between 1 and 50000.")]
    public int MaxSelection { get; set; } = 5000;
}
