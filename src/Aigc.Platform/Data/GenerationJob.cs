namespace Aigc.Platform.Data;

/// <summary>
/// A request for <see cref="Count"/> images, the queue's record. Image i uses latent (Seed, i). A worker owns a
/// running job only while its lease (<see cref="LeaseOwner"/>, <see cref="LeaseExpiresAt"/>) is fresh.
/// </summary>
public class GenerationJob
{
    public Guid Id { get; set; }

    public required string UserId { get; set; }

    public required string ModelSha256 { get; set; }

    /// <summary>Condition name → value, as JSON strings (numbers in invariant culture).</summary>
    public required string ConditionsJson { get; set; }

    public int Count { get; set; }

    public long Seed { get; set; }

    public required string Preset { get; set; }

    public JobPriority Priority { get; set; }

    public JobStatus Status { get; set; }

    public int ImagesDone { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? StartedAt { get; set; }

    public DateTime? CompletedAt { get; set; }

    public string? Error { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTime? LeaseExpiresAt { get; set; }

    /// <summary>
    /// Claims so far that count against the job (decision 0019): neither a graceful hand-back, nor a hand-back after
    /// an infrastructure fault, nor taking the job over from a lost worker counts.
    /// </summary>
    public int Attempts { get; set; }

    /// <summary>Times a worker holding the job was lost (its lease expired): a process killed, a machine gone.</summary>
    public int LeaseLosses { get; set; }

    /// <summary>Times the job was handed back because storage or the database failed (I/O, full disk, busy).</summary>
    public int InfrastructureRetries { get; set; }

    /// <summary>Why a failed job failed; after an infrastructure failure or lost workers its owner may retry it.</summary>
    public FailureCause? FailureCause { get; set; }

    public List<Blueprint> Blueprints { get; set; } = [];

    /// <summary>
    /// The W3C traceparent of the job's trace, set at enqueue: a worker in any process puts its spans of the job
    /// (claim, generate, post-process, store) into the trace that began with the request (decision 0018).
    /// </summary>
    public string? TraceParent { get; set; }

    /// <summary>How image i's latent is made; the parameters below belong to one kind each (see <c>JobRecipes</c>).</summary>
    public RecipeKind Recipe { get; set; }

    /// <summary>Vary: image i mixes latent (VariationSeed + i) into the base latent (Seed).</summary>
    public long? VariationSeed { get; set; }

    /// <summary>Vary: the mix strength s in [0, 1].</summary>
    public double? Strength { get; set; }

    /// <summary>Interpolate: the conditions of the far end (same form as <see cref="ConditionsJson"/>).</summary>
    public string? EndConditionsJson { get; set; }

    /// <summary>Interpolate: the seed of the far end.</summary>
    public long? EndSeed { get; set; }

    /// <summary>Interpolate: frames of the whole strip; image i is frame FirstFrame + i at t = frame / (Frames − 1).</summary>
    public int? Frames { get; set; }

    public int? FirstFrame { get; set; }

    /// <summary>
    /// Sketch: the base latent the encoder found for a drawing, float32 little-endian in base64 (exact bits); vary
    /// (<see cref="Strength"/>) and interpolate (<see cref="EndSeed"/>) parameters apply to it as to a seed's.
    /// </summary>
    public string? SketchLatent { get; set; }
}

public enum RecipeKind
{
    Sample,
    Vary,
    Interpolate,
    Sketch,
}

/// <summary>Lower runs first.</summary>
public enum JobPriority
{
    Interactive = 0,
    Bulk = 1,
}

public enum FailureCause
{
    /// <summary>The job itself (its model, its images) failed, MaxAttempts times.</summary>
    Job,

    /// <summary>Storage or the database kept failing, MaxInfrastructureRetries times.</summary>
    Infrastructure,

    /// <summary>Its workers were lost MaxLeaseLosses times: killed processes, or a job that kills its worker.</summary>
    WorkerLost,
}

public enum JobStatus
{
    Queued,
    Running,
    Completed,
    Failed,
    Cancelled,
}
