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

    /// <summary>
    /// Weight of the diversity-sensitive term (Yang et al. 2019, "Diversity-Sensitive Conditional GANs"): the generator
    /// is rewarded for mean |G(z₁,c) − G(z₂,c)| / mean |z₁ − z₂| over pairs sharing a condition, up to
    /// <see cref="DiversityCap"/>. 0 disables it (and the pairing of conditions it needs).
    /// </summary>
    public float DiversityWeight { get; init; }

    /// <summary>The ratio beyond which more difference earns nothing, so the term cannot push towards noise.</summary>
    public float DiversityCap { get; init; } = 0.25f;
}
