namespace Aigc.Generation.Training;

/// <summary>What `aigc train` asks for: data, model, output folder and the hyper-parameters of the run.</summary>
public sealed record TrainingRunOptions
{
    public required string DataDirectory { get; init; }

    public required string ManifestPath { get; init; }

    /// <summary>The model version folder, e.g. models/blueprints/v1.</summary>
    public required string OutputDirectory { get; init; }

    public int Steps { get; init; } = 10_000;

    public int BatchSize { get; init; } = 64;

    public ulong Seed { get; init; } = 1;

    /// <summary>A sample grid every this many steps (and at the end); 0 only at the end.</summary>
    public int SampleEvery { get; init; } = 500;

    public int CheckpointEvery { get; init; } = 250;

    /// <summary>Continue from OutputDirectory/checkpoint.safetensors.</summary>
    public bool Resume { get; init; }

    public CganTrainingSettings Settings { get; init; } = new() { EmaDecay = 0.999f };
}

/// <summary>One finished step, as reported to the progress display and written to metrics.jsonl.</summary>
public sealed record StepReport(long Step, long TotalSteps, long StartStep, double DiscriminatorLoss, double GeneratorLoss,
    double ImagesPerSecond, double ElapsedSeconds);

/// <summary>
/// What a host running a training in its process does around the steps: <see cref="BetweenSteps"/> after each step
/// (it may wait there, e.g. while more urgent work runs), <see cref="Sampled"/> with each sample grid and
/// <see cref="Checkpointed"/> with each checkpoint file written (the step and its path).
/// </summary>
public sealed record TrainingHooks
{
    public Action<long, CancellationToken>? BetweenSteps { get; init; }

    public Action<long, byte[]>? Sampled { get; init; }

    public Action<long, string>? Checkpointed { get; init; }
}
