using Aigc.Generation.Manifest;
using Aigc.Platform.Data;

namespace Aigc.Platform.Studio;

/// <summary>A model version the requester may generate with, and the conditions its form is built from.</summary>
public sealed record StudioModel(string Sha256, string Name, string Version, ModelVersionStatus Status,
    IReadOnlyList<StudioCondition> Conditions)
{
    public IEnumerable<StudioCondition> Categorical => Conditions.Where(c => c.IsCategorical);

    public IEnumerable<StudioCondition> Numeric => Conditions.Where(c => !c.IsCategorical);

    public static StudioModel From(ModelVersion version) => new(version.WeightsSha256, version.Name, version.Version,
        version.Status,
        ConditionsOf(CganManifest.Parse(version.ManifestJson).Schema));

    private static List<StudioCondition> ConditionsOf(ConditionSchema schema) =>
        schema.Categorical.Concat(schema.Numeric).Select(StudioCondition.From).ToList();
}

/// <summary>One condition of a model: categorical (its values) or numeric (from <see cref="Min"/> to <see
/// cref="Max"/>).</summary>
public sealed record StudioCondition(string Name, IReadOnlyList<string>? Values, double Min = 0, double Max = 0)
{
    public bool IsCategorical => Values is not null;

    public static StudioCondition From(ConditionSpec spec) => spec.IsCategorical
        ? new(spec.Name, spec.Values)
        : new(spec.Name, null, spec.Min!.Value, spec.Max!.Value);
}

/// <summary>One stored image of a Studio job: its seed, its place in the job, whether the viewer marked it a
/// favourite.</summary>
public sealed record StudioTile(Guid BlueprintId, GenerationJob Job, int Index, long Seed, bool IsFavourite = false);

/// <summary>A job of the requester with the images stored so far, in index order.</summary>
public sealed record StudioJob(GenerationJob Job, IReadOnlyList<StudioTile> Tiles);
