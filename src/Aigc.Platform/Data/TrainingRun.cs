namespace Aigc.Platform.Data;

/// <summary>
/// A training run: a queue record like a generation job (status, lease), below every generation priority
/// (decision 0020). Its checkpoint and latest sample grid are blobs; each step's losses are <see cref="TrainingRunStep"/>s.
/// </summary>
public class TrainingRun
{
    public Guid Id { get; set; }

    /// <summary>The model name the run registers its version under (the manifest's name).</summary>
    public required string ModelName { get; set; }

    /// <summary>The version label of the draft it registers.</summary>
    public required string VersionLabel { get; set; }

    /// <summary>Null once the dataset was deleted (the run's record and model keep <see cref="DataHash"/>).</summary>
    public Guid? DatasetVersionId { get; set; }

    public required string DatasetName { get; set; }

    public required string DataHash { get; set; }

    public required string UserId { get; set; }

    public required string UserName { get; set; }

    public TrainingRunStatus Status { get; set; }

    /// <summary>The manifest the run trains (the template with the condition schema of its data).</summary>
    public required string ManifestJson { get; set; }

    public int Steps { get; set; }

    public int BatchSize { get; set; }

    public long Seed { get; set; }

    public float GeneratorLearningRate { get; set; }

    public float DiscriminatorLearningRate { get; set; }

    public int SampleEvery { get; set; }

    public int CheckpointEvery { get; set; }

    public int StepsDone { get; set; }

    public double? StepsPerSecond { get; set; }

    public int CheckpointStep { get; set; }

    public string? CheckpointSha256 { get; set; }

    public int SamplesStep { get; set; }

    public string? SamplesSha256 { get; set; }

    public string? VariantsSha256 { get; set; }

    /// <summary>The evaluation's report (the same JSON as `aigc eval` writes into metrics.json).</summary>
    public string? EvaluationJson { get; set; }

    /// <summary>Weights hash of the draft version the run registered.</summary>
    public string? ModelSha256 { get; set; }

    public string? Error { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTime? LeaseExpiresAt { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime? StartedAt { get; set; }

    public DateTime? CompletedAt { get; set; }
}

/// <summary>One step's losses, as the live chart shows them.</summary>
public class TrainingRunStep
{
    public Guid RunId { get; set; }

    public int Step { get; set; }

    public double DiscriminatorLoss { get; set; }

    public double GeneratorLoss { get; set; }

    public DateTime At { get; set; }
}

public enum TrainingRunStatus
{
    Queued,
    Running,
    Paused,
    Evaluating,
    Completed,
    Failed,
    Cancelled,
}
