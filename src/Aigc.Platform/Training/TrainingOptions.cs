using System.ComponentModel.DataAnnotations;

namespace Aigc.Platform.Training;

/// <summary>Limits of dataset uploads and the training worker (section "Training").</summary>
public sealed class TrainingOptions
{
    public const string SectionName = "Training";

    /// <summary>Largest ZIP accepted, as uploaded.</summary>
    [Range(1, 1 << 20, ErrorMessage = "Training:MaxUploadMegabytes must be between 1 and 1048576.")]
    public int MaxUploadMegabytes { get; set; } = 256;

    /// <summary>Largest total of the ZIP's files once unpacked: a zip bomb is refused before it is inflated.</summary>
    [Range(1, 1 << 20, ErrorMessage = "Training:MaxUnpackedMegabytes must be between 1 and 1048576.")]
    public int MaxUnpackedMegabytes { get; set; } = 1024;

    /// <summary>Most files a ZIP may hold.</summary>
    [Range(1, 10_000_000, ErrorMessage = "Training:MaxFiles must be between 1 and 10000000.")]
    public int MaxFiles { get; set; } = 20_000;

    /// <summary>Highest unpacked/packed size ratio of one file; drawings compress far less than a bomb.</summary>
    [Range(2, 100_000, ErrorMessage = "Training:MaxCompressionRatio must be between 2 and 100000.")]
    public int MaxCompressionRatio { get; set; } = 200;

    /// <summary>Fewest drawings a part class needs (evaluation holds half of them out).</summary>
    [Range(2, 100_000, ErrorMessage = "Training:MinImagesPerClass must be between 2 and 100000.")]
    public int MinImagesPerClass { get; set; } = 8;

    /// <summary>Side of the square images a dataset version stores: the shipped architecture's.</summary>
    [Range(16, 512, ErrorMessage = "Training:ImageSize must be between 16 and 512.")]
    public int ImageSize { get; set; } = 64;

    /// <summary>Whether this host's worker runs training runs (it yields to generation between steps).</summary>
    public bool RunWorker { get; set; } = true;

    /// <summary>A training worker holds a run this long without renewing; a killed worker's run is resumed after it.</summary>
    [Range(2, 3600, ErrorMessage = "Training:LeaseSeconds must be between 2 and 3600.")]
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>Compute threads of the training engine (0: all cores).</summary>
    [Range(0, 256, ErrorMessage = "Training:EngineThreads must be between 0 and 256.")]
    public int EngineThreads { get; set; } = 1;

    /// <summary>Most steps one run may ask for.</summary>
    [Range(1, 10_000_000, ErrorMessage = "Training:MaxSteps must be between 1 and 10000000.")]
    public int MaxSteps { get; set; } = 200_000;

    /// <summary>
    /// The template manifest new runs start from (the shipped architecture); empty: blueprints/manifest.json under
    /// Queue:ShippedModelsDirectory. Relative to the working directory.
    /// </summary>
    public string TemplateManifest { get; set; } = "";

    public long MaxUploadBytes => MaxUploadMegabytes * 1024L * 1024;

    public long MaxUnpackedBytes => MaxUnpackedMegabytes * 1024L * 1024;
}
