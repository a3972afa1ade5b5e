using Aigc.Platform.Data;

namespace Aigc.Platform.Training;

/// <summary>One point of the loss chart.</summary>
public sealed record LossPoint(int Step, double Discriminator, double Generator);

/// <summary>A run as its page shows it: progress, speed, ETA, the losses so far (at most a few hundred points).</summary>
/// <param name="ModelCard">The registered draft's model card (Markdown), once the run completed.</param>
public sealed record TrainingRunView(TrainingRun Run, IReadOnlyList<LossPoint> Losses, double? EtaSeconds, string? ModelCard)
{
    public bool Ended => Run.Status is TrainingRunStatus.Completed or TrainingRunStatus.Failed or TrainingRunStatus.Cancelled;
}

/// <summary>A condition of a run's schema and its values.</summary>
public sealed record ConditionValuesView(string Name, IReadOnlyList<string> Values);
