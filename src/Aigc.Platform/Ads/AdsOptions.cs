using System.ComponentModel.DataAnnotations;

namespace Aigc.Platform.Ads;

/// <summary>Configuration section "Ads".</summary>
public sealed class AdsOptions
{
    public const string SectionName = "Ads";

    [Range(1024, 16L * 1024 * 1024, ErrorMessage = "Ads:MaxLogoBytes must be between 1024 and 16777216.")]
    public long MaxLogoBytes { get; set; } = 512 * 1024;

    /// <summary>Ad sizes rendered at the same time across all requests; rendering is CPU-bound.</summary>
    [Range(1, 64, ErrorMessage = "Ads:RenderConcurrency must be between 1 and 64.")]
    public int RenderConcurrency { get; set; } = Math.Max(1, Environment.ProcessorCount);

    [Range(1, 12, ErrorMessage = "Ads:MaxBlueprintsPerCampaign must be between 1 and 12.")]
    public int MaxBlueprintsPerCampaign { get; set; } = 4;

    /// <summary>Memory for the composers' latest preview PNGs across all users; the oldest go first.</summary>
    [Range(1024 * 1024, 1024L * 1024 * 1024, ErrorMessage = "Ads:PreviewCacheBytes must be between 1048576 and 1073741824.")]
    public long PreviewCacheBytes { get; set; } = 64L * 1024 * 1024;
}
