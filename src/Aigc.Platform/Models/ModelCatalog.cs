using Aigc.Generation.Manifest;
using Aigc.Platform.Data;

namespace Aigc.Platform.Models;

/// <summary>One model name and its versions, newest first.</summary>
public sealed record ModelGroup(string Name, IReadOnlyList<ModelVersion> Versions)
{
    public ModelVersion? Active => Versions.FirstOrDefault(v => v.Status == ModelVersionStatus.Active);

    /// <summary>The version a roll back returns to, if the active one remembers its predecessor.</summary>
    public ModelVersion? RollBackTarget =>
        Active?.PreviousActiveSha256 is { } previous ? Versions.FirstOrDefault(v => v.WeightsSha256 == previous) : null;
}

/// <summary>A condition of a version's manifest, as admins read it.</summary>
public sealed record ModelCondition(string Name, string Kind, IReadOnlyList<string> Values, double? Min, double? Max)
{
    public bool IsCategorical => Kind == "categorical";
}

/// <summary>A version with what its manifest says about its inputs and outputs.</summary>
public sealed record ModelVersionDetail(ModelVersion Version, IReadOnlyList<ModelCondition> Conditions, int ImageSize,
    int Channels, int LatentDim)
{
    internal static ModelVersionDetail Of(ModelVersion version)
    {
        var manifest = CganManifest.Parse(version.ManifestJson);
        return new ModelVersionDetail(version,
            manifest.Conditions.Select(c => new ModelCondition(c.Name, c.Kind, c.Values ?? [], c.Min, c.Max)).ToList(),
            manifest.ImageSize, manifest.Channels, manifest.LatentDim);
    }
}
