using Aigc.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Portal.Features.Models;

/// <summary>Versions grouped by model name, newest first, for Admin › Models.</summary>
public static class ModelQueries
{
    public static async Task<List<ModelGroup>> GroupsAsync(PortalDbContext db, CancellationToken cancellationToken)
    {
        var versions = await db.ModelVersions.AsNoTracking().ToListAsync(cancellationToken);
        return versions.GroupBy(v => v.Name).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ModelGroup(g.Key, g.OrderByDescending(v => v.AddedAt).ToList()))
            .ToList();
    }

    public static async Task<ModelGroup?> GroupAsync(PortalDbContext db, string name, CancellationToken cancellationToken)
    {
        var versions = await db.ModelVersions.AsNoTracking().Where(v => v.Name == name).ToListAsync(cancellationToken);
        return versions.Count == 0 ? null : new ModelGroup(name, versions.OrderByDescending(v => v.AddedAt).ToList());
    }
}

/// <summary>One model name and its versions; <see cref="DomId"/> is the element htmx swaps after an action.</summary>
public sealed record ModelGroup(string Name, IReadOnlyList<ModelVersion> Versions)
{
    public ModelVersion? Active => Versions.FirstOrDefault(v => v.Status == ModelVersionStatus.Active);

    public ModelVersion? RollBackTarget =>
        Active?.PreviousActiveSha256 is { } previous ? Versions.FirstOrDefault(v => v.WeightsSha256 == previous) : null;

    public string DomId => DomIdOf(Name);

    // The slug reads well in the HTML; the hash keeps names that slug alike ("a.b", "a-b") apart.
    public static string DomIdOf(string name) =>
        "model-" + string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '-')) + "-" +
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)))[..6];
}
