namespace Aigc.Platform.Training;

/// <summary>
/// What a trainer asks for: the data, the model's name and version label, the condition values (derived from the
/// labels; values may be added, none of the data's removed), and the run's hyper-parameters.
/// </summary>
public sealed record TrainingRunRequest
{
    public required Guid DatasetVersionId { get; init; }

    public required string ModelName { get; init; }

    public required string VersionLabel { get; init; }

    /// <summary>Condition name → values; null keeps those derived from the labels.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Conditions { get; init; }

    public int Steps { get; init; } = 2000;

    public int BatchSize { get; init; } = 32;

    public long Seed { get; init; } = 1;

    public float GeneratorLearningRate { get; init; } = 2e-4f;

    public float DiscriminatorLearningRate { get; init; } = 2e-4f;

    /// <summary>Images of one condition the discriminator judges together (1: no packing).</summary>
    public int Pack { get; init; } = 2;

    public int SampleEvery { get; init; } = 50;

    public int CheckpointEvery { get; init; } = 50;
}
