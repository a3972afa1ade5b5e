using System.ComponentModel.DataAnnotations;

namespace Aigc.Platform.Models;

/// <summary>Configuration section "Registry": what Admin › Models accepts.</summary>
public sealed class RegistryOptions
{
    public const string SectionName = "Registry";

    /// <summary>The largest upload (all files of one version together), in MiB.</summary>
    [Range(1, 16 * 1024, ErrorMessage = "Registry:MaxUploadMegabytes must be between 1 and 16384.")]
    public int MaxUploadMegabytes { get; set; } = 512;

    public long MaxUploadBytes => MaxUploadMegabytes * 1024L * 1024;
}
