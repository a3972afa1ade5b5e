using Aigc.Generation;
using Aigc.Generation.Manifest;
using Aigc.Imaging.Metadata;
using Aigc.Platform.Data;

namespace Aigc.Platform.Queue;

/// <summary>
/// What image i of a job is, from the job's recipe: the engine's item, the seed recorded on the blueprint and the
/// recipe written into the PNG. Each image's recorded (seed, recipe) regenerates it alone, bit for bit.
/// </summary>
public static class JobRecipes
{
    public static GenerationItem Item(GenerationJob job, int index, ConditionSchema schema)
    {
        var conditions = ConditionsJson.Validate(schema, ConditionsJson.Read(job.ConditionsJson));
        return job.Recipe switch
        {
            RecipeKind.Vary => new GenerationItem(conditions, unchecked((ulong)job.Seed))
            {
                Variation = new LatentVariation(unchecked((ulong)(job.VariationSeed!.Value + index)), 0, job.Strength!.Value),
            },
            RecipeKind.Interpolate => new GenerationItem(conditions, unchecked((ulong)job.Seed))
            {
                Toward = new InterpolationEndpoint(ConditionsJson.Validate(schema, ConditionsJson.Read(job.EndConditionsJson!)),
                    unchecked((ulong)job.EndSeed!.Value), 0, Position(job, index)),
            },
            RecipeKind.Sketch => Sketch(job, index, conditions, schema),
            _ => new GenerationItem(conditions, unchecked((ulong)(job.Seed + index))),
        };
    }

    /// <summary>A sketch's item: its latent, varied or interpolated as the vary and interpolate kinds do.</summary>
    private static GenerationItem Sketch(GenerationJob job, int index, ConditionValues conditions, ConditionSchema schema)
    {
        var item = new GenerationItem(conditions, unchecked((ulong)job.Seed)) { Latent = SketchLatents.Read(job.SketchLatent!) };
        if (job.Strength is { } strength)
            return item with { Variation = new LatentVariation(unchecked((ulong)(job.VariationSeed!.Value + index)), 0, strength) };
        if (job.EndSeed is { } endSeed)
            return item with
            {
                Toward = new InterpolationEndpoint(ConditionsJson.Validate(schema, ConditionsJson.Read(job.EndConditionsJson!)),
                    unchecked((ulong)endSeed), 0, Position(job, index)),
            };
        return item;
    }

    /// <summary>The blueprint's seed: the sample's own seed, or the base (vary) or start (interpolate) seed.</summary>
    public static long Seed(GenerationJob job, int index) => job.Recipe == RecipeKind.Sample ? job.Seed + index : job.Seed;

    public static BlueprintRecipe? Metadata(GenerationJob job, int index) => job.Recipe switch
    {
        RecipeKind.Sketch => BlueprintRecipe.Sketch(job.SketchLatent!, job.Strength is not null || job.EndSeed is not null
            ? Metadata(Around(job), index)
            : null),
        RecipeKind.Vary => BlueprintRecipe.Vary(job.VariationSeed!.Value + index, job.Strength!.Value),
        RecipeKind.Interpolate => BlueprintRecipe.Interpolate(ConditionsJson.Read(job.EndConditionsJson!), job.EndSeed!.Value, job.Frames!.Value, Frame(job, index)),
        _ => null,
    };

    /// <summary>The recipe that regenerates one image from its PNG metadata as a one-image job.</summary>
    public static GenerationRecipe FromMetadata(BlueprintRecipe? recipe) => recipe?.Kind switch
    {
        null => GenerationRecipe.Sample,
        BlueprintRecipe.VaryKind when recipe is { VariationSeed: { } seed, Strength: { } strength } => GenerationRecipe.Vary(strength, seed),
        BlueprintRecipe.InterpolateKind when recipe is { EndConditions: { } end, EndSeed: { } endSeed, Frames: { } frames, Frame: { } frame } =>
            GenerationRecipe.Interpolate(end, endSeed, frames, frame),
        BlueprintRecipe.SketchKind when recipe is { Latent: { } latent, VariationSeed: null, EndSeed: null } => GenerationRecipe.Sketch(latent),
        BlueprintRecipe.SketchKind when recipe is { Latent: { } latent, VariationSeed: { } seed, Strength: { } strength } =>
            GenerationRecipe.Sketch(latent, strength, seed),
        BlueprintRecipe.SketchKind when recipe is { Latent: { } latent, EndConditions: { } end, EndSeed: { } endSeed, Frames: { } frames, Frame: { } frame } =>
            GenerationRecipe.SketchToward(latent, end, endSeed, frames, frame),
        _ => throw new InvalidDataException($"Unknown or incomplete recipe \"{recipe.Kind}\" in the image's metadata."),
    };

    /// <summary>A sketch job read as the vary or interpolate job it is around its latent.</summary>
    private static GenerationJob Around(GenerationJob job) => new()
    {
        UserId = job.UserId, ModelSha256 = job.ModelSha256, ConditionsJson = job.ConditionsJson, Preset = job.Preset,
        Recipe = job.Strength is not null ? RecipeKind.Vary : RecipeKind.Interpolate, Seed = job.Seed,
        VariationSeed = job.VariationSeed, Strength = job.Strength, EndConditionsJson = job.EndConditionsJson,
        EndSeed = job.EndSeed, Frames = job.Frames, FirstFrame = job.FirstFrame,
    };

    public static int Frame(GenerationJob job, int index) => (job.FirstFrame ?? 0) + index;

    private static double Position(GenerationJob job, int index) => (double)Frame(job, index) / (job.Frames!.Value - 1);
}
