using System.Globalization;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Aigc.Platform.Studio;
using Aigc.Portal.Components;
using Microsoft.Extensions.Localization;

namespace Aigc.Portal.Features.Studio;

/// <summary>What a job and each of its images are, in words: titles of job panels, captions of tiles and contact
/// sheets.</summary>
public static class StudioCaptions
{
    /// <summary>
    /// What shaped image <paramref name="index"/>, its own for every image of a job: the seed of a sample, the base and
    /// variation seed of a variation, the position and both end seeds of an interpolation frame.
    /// </summary>
    public static string Tile(GenerationJob job, int index, long seed) => job.Recipe switch
    {
        RecipeKind.Vary => $"{seed} ~{job.VariationSeed + index}",
        RecipeKind.Sketch when job.Strength is not null => $"✎ ~{job.VariationSeed + index}",
        RecipeKind.Sketch when job.EndSeed is not null => string.Create(CultureInfo.InvariantCulture,
            $"t={Position(job, index):0.00} · ✎→{job.EndSeed}"),
        RecipeKind.Sketch => "✎",
        RecipeKind.Interpolate => string.Create(CultureInfo.InvariantCulture,
            $"t={Position(job, index):0.00} · {job.Seed}→{job.EndSeed}"),
        _ => seed.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>A one-line summary of a job: what it makes and from which seed; conditions in its model's schema
    /// order when the model is among <paramref name="models"/>.</summary>
    public static string Describe(GenerationJob job, IStringLocalizer<StudioText> text,
        IStringLocalizer<ConditionText> words, IEnumerable<StudioModel> models)
    {
        var order = models.FirstOrDefault(m => m.Sha256 == job.ModelSha256)?.Conditions.Select(c => c.Name).ToList();
        var conditions = words.Values(ConditionsJson.Read(job.ConditionsJson), order);
        return job.Recipe switch
        {
            RecipeKind.Vary => text["DescribeVary", conditions, job.Seed, job.Strength?.ToString("0.##",
                CultureInfo.CurrentCulture) ?? ""],
            RecipeKind.Interpolate => text["DescribeInterpolate", conditions,
                words.Values(ConditionsJson.Read(job.EndConditionsJson!), order), job.Frames ?? 0],
            RecipeKind.Sketch when job.Strength is not null => text["DescribeSketchVariants", conditions,
                job.Strength.Value.ToString("0.##", CultureInfo.CurrentCulture)],
            RecipeKind.Sketch when job.EndSeed is not null => text["DescribeSketchToward",
                words.Values(ConditionsJson.Read(job.EndConditionsJson!), order), job.EndSeed.Value,
                job.Frames ?? 0],
            RecipeKind.Sketch => text["DescribeSketch", conditions],
            _ => job.Count == 1
                ? text["DescribeOne", conditions, job.Seed]
                : text["DescribeMany", conditions, job.Seed, job.Seed + job.Count - 1],
        };
    }

    private static double Position(GenerationJob job, int index) => (double)JobRecipes.Frame(job,
        index) / (job.Frames!.Value - 1);
}
