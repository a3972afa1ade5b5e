using System.ComponentModel.DataAnnotations;
using Aigc.Platform.Accounts;

namespace Aigc.Platform.Queue;

/// <summary>Configuration section "Queue": batching, leases, limits per role, the model cache and the shipped models.</summary>
public sealed class QueueOptions : IValidatableObject
{
    public const string SectionName = "Queue";

    [Range(1, 256, ErrorMessage = "Queue:BatchSize must be between 1 and 256.")]
    public int BatchSize { get; set; } = 16;

    /// <summary>
    /// Images a user's turn in a batch takes (decision 0009). Four, a preview's size: a preview is generated, stored
    /// and announced in one piece instead of one image per batch, which under many users multiplied the per-job work.
    /// </summary>
    [Range(1, 256, ErrorMessage = "Queue:ImagesPerTurn must be between 1 and 256.")]
    public int ImagesPerTurn { get; set; } = 4;

    /// <summary>
    /// Batches being stored at once (files synced, rows committed) while the next is generated. Post-processing runs
    /// one batch at a time either way; with two, a batch's syncs and commit overlap the next one's post-processing
    /// instead of leaving the cores idle, and a preview's images still queue behind one batch only (decision 0009).
    /// </summary>
    [Range(1, 8, ErrorMessage = "Queue:StoringBatches must be between 1 and 8.")]
    public int StoringBatches { get; set; } = 2;

    [Range(0, 1000, ErrorMessage = "Queue:BatchWaitMilliseconds must be between 0 and 1000.")]
    public int BatchWaitMilliseconds { get; set; } = 5;

    [Range(10, 60_000, ErrorMessage = "Queue:IdlePollMilliseconds must be between 10 and 60000.")]
    public int IdlePollMilliseconds { get; set; } = 200;

    [Range(2, 3600, ErrorMessage = "Queue:LeaseSeconds must be between 2 and 3600.")]
    public int LeaseSeconds { get; set; } = 30;

    /// <summary>Runs a job may fail by itself (its model, its images) before it fails for good (0019).</summary>
    [Range(1, 10, ErrorMessage = "Queue:MaxAttempts must be between 1 and 10.")]
    public int MaxAttempts { get; set; } = 2;

    /// <summary>
    /// Lost workers (expired leases) a job survives. Larger than MaxAttempts: a killed process is rarely the job's
    /// fault, but a job that kills every worker running it must still end.
    /// </summary>
    [Range(1, 100, ErrorMessage = "Queue:MaxLeaseLosses must be between 1 and 100.")]
    public int MaxLeaseLosses { get; set; } = 5;

    /// <summary>Hand-backs after storage or database faults a job survives; with backoff, minutes of outage.</summary>
    [Range(1, 1000, ErrorMessage = "Queue:MaxInfrastructureRetries must be between 1 and 1000.")]
    public int MaxInfrastructureRetries { get; set; } = 10;

    /// <summary>The worker's first pause after an infrastructure fault; it doubles while the fault lasts.</summary>
    [Range(10, 600_000, ErrorMessage = "Queue:FaultBackoffMilliseconds must be between 10 and 600000.")]
    public int FaultBackoffMilliseconds { get; set; } = 1000;

    /// <summary>The longest pause between the worker's checks that storage and the database work again.</summary>
    [Range(1, 3600, ErrorMessage = "Queue:MaxFaultBackoffSeconds must be between 1 and 3600.")]
    public int MaxFaultBackoffSeconds { get; set; } = 60;

    /// <summary>
    /// Threads of the worker's engine pass. One image per pass (decision 0006) is too small to split well, and the
    /// previous batch is post-processed on the other cores meanwhile (decision 0009).
    /// </summary>
    [Range(1, 256, ErrorMessage = "Queue:EngineThreads must be between 1 and 256.")]
    public int EngineThreads { get; set; } = 1;

    [Range(1, 1000, ErrorMessage = "Queue:MaxActiveJobs must be between 1 and 1000.")]
    public int MaxActiveJobs { get; set; } = 64;

    [Range(1, 10_000, ErrorMessage = "Queue:MaxImagesPerJob must be between 1 and 10000.")]
    public int MaxImagesPerJob { get; set; } = 64;

    [Range(1, int.MaxValue, ErrorMessage = "Queue:MaxQueuedImages must be at least 1.")]
    public int MaxQueuedImages { get; set; } = 10_000;

    /// <summary>Role → images a user may have queued or running at once; a user gets the largest of their roles.</summary>
    public Dictionary<string, int> QueuedImageCaps { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        [PortalRoles.Admin] = 1024,
        [PortalRoles.Designer] = 256,
        [PortalRoles.Marketer] = 128,
        [PortalRoles.Viewer] = 0,
    };

    /// <summary>Role → images a user may request per UTC day; a user gets the largest of their roles.</summary>
    public Dictionary<string, int> DailyImageQuotas { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        [PortalRoles.Admin] = 100_000,
        [PortalRoles.Designer] = 2000,
        [PortalRoles.Marketer] = 1000,
        [PortalRoles.Viewer] = 0,
    };

    [Range(16, 1 << 20, ErrorMessage = "Queue:ModelCacheMegabytes must be between 16 and 1048576.")]
    public int ModelCacheMegabytes { get; set; } = 1024;

    /// <summary>Folders under it with manifest.json + generator.safetensors are registered at first start. Relative to the working directory.</summary>
    public string ShippedModelsDirectory { get; set; } = "models";

    /// <summary>Whether this process runs the generation worker loop.</summary>
    public bool RunWorker { get; set; } = true;

    /// <summary>
    /// How often a worker reports itself in the Workers table. One that missed three reports is gone: it leaves the
    /// list and its jobs return to the queue then, before their lease runs out.
    /// </summary>
    [Range(1, 600, ErrorMessage = "Queue:HeartbeatSeconds must be between 1 and 600.")]
    public int HeartbeatSeconds { get; set; } = 5;

    /// <summary>A worker whose last report is older than this is gone.</summary>
    public TimeSpan WorkerGoneAfter => TimeSpan.FromSeconds(3 * HeartbeatSeconds);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (key, map) in new[] { (nameof(QueuedImageCaps), QueuedImageCaps), (nameof(DailyImageQuotas), DailyImageQuotas) })
        {
            foreach (var (role, value) in map)
            {
                if (!PortalRoles.All.Contains(role, StringComparer.OrdinalIgnoreCase))
                    yield return new ValidationResult($"{SectionName}:{key}:{role} is not a role ({string.Join(", ", PortalRoles.All)}).", [key]);
                else if (value < 0)
                    yield return new ValidationResult($"{SectionName}:{key}:{role} must not be negative (got {value}).", [key]);
            }
        }
    }

    public int QueuedImageCapFor(IEnumerable<string> roles) => LargestFor(QueuedImageCaps, roles);

    public int DailyImageQuotaFor(IEnumerable<string> roles) => LargestFor(DailyImageQuotas, roles);

    private static int LargestFor(Dictionary<string, int> map, IEnumerable<string> roles) =>
        roles.Select(r => map.TryGetValue(r, out var v) ? v : 0).DefaultIfEmpty(0).Max();
}
