using Aigc.Platform.Data;

namespace Aigc.Platform.Queue;

/// <summary>
/// How a request's latents are made. Sample: image i is latent (seed + i). Vary: image i mixes latent
/// (<see cref="VariationSeed"/> + i) into the base latent (seed) at <see cref="Strength"/>; no variation seed means a
/// random one. Interpolate: images are frames <see cref="FirstFrame"/>.. of a strip of <see cref="Frames"/> from
/// (conditions, seed) to (<see cref="EndConditions"/>, <see cref="EndSeed"/>). Sketch: the base latent is
/// <see cref="SketchLatent"/> (a drawing's, see <c>SketchLatents</c>), alone, varied (strength) or interpolated
/// towards (end conditions, end seed).
/// </summary>
public sealed record GenerationRecipe(
    RecipeKind Kind,
    long? VariationSeed = null,
    double? Strength = null,
    IReadOnlyDictionary<string, string>? EndConditions = null,
    long? EndSeed = null,
    int? Frames = null,
    int FirstFrame = 0,
    string? SketchLatent = null)
{
    public const double MaxStrength = 1;
    public const int MinFrames = 2;
    public const int MaxFrames = 64;

    public static readonly GenerationRecipe Sample = new(RecipeKind.Sample);

    public static GenerationRecipe Vary(double strength, long? variationSeed = null) => new(RecipeKind.Vary, variationSeed, strength);

    public static GenerationRecipe Interpolate(IReadOnlyDictionary<string, string> endConditions, long endSeed, int frames, int firstFrame = 0) =>
        new(RecipeKind.Interpolate, EndConditions: endConditions, EndSeed: endSeed, Frames: frames, FirstFrame: firstFrame);

    /// <summary>The drawing's closest image (no strength, no end) or variants around it (a strength).</summary>
    public static GenerationRecipe Sketch(string latent, double? strength = null, long? variationSeed = null) =>
        new(RecipeKind.Sketch, variationSeed, strength, SketchLatent: latent);

    /// <summary>Frames from the drawing's closest image to another result.</summary>
    public static GenerationRecipe SketchToward(string latent, IReadOnlyDictionary<string, string> endConditions, long endSeed,
        int frames, int firstFrame = 0) =>
        new(RecipeKind.Sketch, EndConditions: endConditions, EndSeed: endSeed, Frames: frames, FirstFrame: firstFrame, SketchLatent: latent);
}
