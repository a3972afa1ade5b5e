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
            _ => new GenerationItem(conditions, unchecked((ulong)(job.Seed + index))),
        };
    }

    /// <summary>The blueprint's seed: the sample's own seed, or the base (vary) or start (interpolate) seed.</summary>
    public static long Seed(GenerationJob job, int index) => job.Recipe == RecipeKind.Sample ? job.Seed + index : job.Seed;

    public static BlueprintRecipe? Metadata(GenerationJob job, int index) => job.Recipe switch
    {
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
        _ => throw new InvalidDataException($"Unknown or incomplete recipe \"{recipe.Kind}\" in the image's metadata."),
    };

    public static int Frame(GenerationJob job, int index) => (job.FirstFrame ?? 0) + index;

    private static double Position(GenerationJob job, int index) => (double)Frame(job, index) / (job.Frames!.Value - 1);
}
