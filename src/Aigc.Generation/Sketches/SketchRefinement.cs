namespace Aigc.Generation.Sketches;

/// <summary>
/// How much search follows the encoder's guess: the number of condition candidates tried side by side, the Adam
/// steps on their latents, the step size and how much more a missed line pixel costs than a stray background one.
/// </summary>
public sealed record SketchRefinement(int Candidates, int Steps, float LearningRate = 0.05f, float LineWeight = 4f)
{
    /// <summary>The encoder's guess alone.</summary>
    public static readonly SketchRefinement None = new(1, 0);

    /// <summary>What the product uses (measured in decision 0021).</summary>
    public static readonly SketchRefinement Default = new(1, 30);

    public void Validate()
    {
        if (Candidates is < 1 or > 16)
            throw new ArgumentOutOfRangeException(nameof(Candidates), $"Candidates must be 1 to 16 (got {Candidates}).");
        if (Steps is < 0 or > 500)
            throw new ArgumentOutOfRangeException(nameof(Steps), $"Steps must be 0 to 500 (got {Steps}).");
    }
}
