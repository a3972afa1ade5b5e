using System.ComponentModel.DataAnnotations;

namespace Aigc.Platform.Blobs;

/// <summary>Configuration section "Blobs": when the store is not ready, and the sweep of unreferenced files.</summary>
public sealed class BlobOptions
{
    public const string SectionName = "Blobs";

    /// <summary>Readiness fails below this much free space on the store's file system (a job stores MBs).</summary>
    [Range(0, 1 << 24, ErrorMessage = "Blobs:MinFreeMegabytes must be between 0 and 16777216.")]
    public int MinFreeMegabytes { get; set; } = 1024;

    /// <summary>How often the portal sweeps unreferenced files; 0 turns the periodic sweep off.</summary>
    [Range(0, 10_080, ErrorMessage = "Blobs:SweepIntervalMinutes must be between 0 and 10080.")]
    public int SweepIntervalMinutes { get; set; } = 60;

    /// <summary>
    /// Only unreferenced files older than this are removed: a blob is written (or touched when stored again) before the
    /// row naming it is committed, seconds later, so this is a wide margin over that gap.
    /// </summary>
    [Range(1, 8760, ErrorMessage = "Blobs:SweepMinAgeHours must be between 1 and 8760.")]
    public int SweepMinAgeHours { get; set; } = 24;
}
