namespace Aigc.Generation.Training;

public enum GanLoss
{
    /// <summary>Hinge loss for D, −mean D(G(z)) for G.</summary>
    Hinge,

    /// <summary>Non-saturating BCE-with-logits for both.</summary>
    Bce,
}

public sealed record CganTrainingSettings
{
    public GanLoss Loss { get; init; } = GanLoss.Hinge;

    public float GeneratorLearningRate { get; init; } = 2e-4f;

    public float DiscriminatorLearningRate { get; init; } = 2e-4f;

    public float Beta1 { get; init; } = 0.5f;

    public float Beta2 { get; init; } = 0.999f;

    /// <summary>Global-norm clipping of each network's gradients; null disables it.</summary>
    public double? ClipNorm { get; init; }

    /// <summary>Decay of the generator's weight EMA; null disables it.</summary>
    public float? EmaDecay { get; init; }
}
