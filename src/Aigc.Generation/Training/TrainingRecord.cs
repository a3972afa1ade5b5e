namespace Aigc.Generation.Training;

/// <summary>How a model version was trained, recorded in its manifest.json so a run can be traced and repeated.</summary>
public sealed record TrainingRecord
{
    public required string DataHash { get; init; }

    public required string DataGenerator { get; init; }

    public required int DataCount { get; init; }

    public required int Steps { get; init; }

    public required int BatchSize { get; init; }

    public required ulong Seed { get; init; }

    public required string Loss { get; init; }

    public required float GeneratorLearningRate { get; init; }

    public required float DiscriminatorLearningRate { get; init; }

    public required float Beta1 { get; init; }

    public required float Beta2 { get; init; }

    public float? EmaDecay { get; init; }

    /// <summary>The diversity-sensitive term's weight and cap; null when the run did not use it.</summary>
    public float? DiversityWeight { get; init; }

    public float? DiversityCap { get; init; }

    /// <summary>Aigc.Neural's assembly version and the GEMM provider used.</summary>
    public required string EngineVersion { get; init; }

    public required double TrainingSeconds { get; init; }

    public required string Machine { get; init; }

    public required string FinishedUtc { get; init; }
}

/// <summary>Model-card fields shown to users and admins choosing a model version.</summary>
public sealed record ModelCard
{
    public string License { get; init; } = "Proprietary: Aigc Portal internal use";

    public string IntendedUse { get; init; } = "Concept line drawings of mechanical parts for industrial designers.";

    public string Limitations { get; init; } =
        "Trained only on procedurally drawn parts; not engineering-accurate; one grey channel, white lines on black.";

    public string TrainingData { get; init; } = "Synthetic blueprints from aigc-blueprint-synth (no third-party images).";

    public string Authors { get; init; } = "Aigc Portal team";
}
