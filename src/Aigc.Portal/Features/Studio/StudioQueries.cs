using Aigc.Generation.Manifest;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Portal.Features.Studio;

/// <summary>A model version the requester may generate with, and its condition schema.</summary>
public sealed record UsableModel(ModelVersion Version, ConditionSchema Schema)
{
    public string Label => $"{Version.Name} · {Version.Version}{(Version.Status == ModelVersionStatus.Active ? "" : $" ({Version.Status.ToString().ToLowerInvariant()})")}";
}

/// <summary>
/// One result tile: the image, the seed it was made with and, for vary and interpolate, what else shaped it; whether
/// the viewer has made it a favourite, and whether they may turn it into an ad.
/// </summary>
public sealed record ResultTileModel(Guid BlueprintId, Guid JobId, long Seed, string? Recipe, bool IsFavourite = false, bool CanAdvertise = false);

public static class StudioQueries
{
    /// <summary>Active and draft versions open to the requester's roles, active ones first.</summary>
    public static async Task<List<UsableModel>> UsableModelsAsync(PortalDbContext db, Requester requester, CancellationToken cancellationToken)
    {
        var versions = await db.ModelVersions.AsNoTracking()
            .Where(m => m.Status == ModelVersionStatus.Active || m.Status == ModelVersionStatus.Draft)
            .ToListAsync(cancellationToken);
        return versions
            .Where(m => requester.IsAdmin || m.AllowedRoleList.Count == 0 || m.AllowedRoleList.Intersect(requester.Roles, StringComparer.OrdinalIgnoreCase).Any())
            .OrderBy(m => m.Status == ModelVersionStatus.Active ? 0 : 1).ThenBy(m => m.Name).ThenByDescending(m => m.AddedAt)
            .Select(m => new UsableModel(m, CganManifest.Parse(m.ManifestJson).Schema))
            .ToList();
    }

    /// <summary>The model a form names (hash, name@version or name), among the usable ones; the first usable one otherwise.</summary>
    public static UsableModel? Pick(IReadOnlyList<UsableModel> models, string? reference)
    {
        if (reference is not null)
        {
            var at = reference.IndexOf('@');
            var match = models.FirstOrDefault(m => m.Version.WeightsSha256 == reference)
                ?? (at > 0 ? models.FirstOrDefault(m => m.Version.Name == reference[..at] && m.Version.Version == reference[(at + 1)..]) : null)
                ?? models.FirstOrDefault(m => m.Version.Name == reference && m.Version.Status == ModelVersionStatus.Active);
            if (match is not null)
                return match;
        }

        return models.FirstOrDefault();
    }

    public static async Task<StudioForm?> LastSettingsAsync(PortalDbContext db, string userId, CancellationToken cancellationToken)
    {
        var saved = await db.StudioSettings.AsNoTracking().SingleOrDefaultAsync(s => s.UserId == userId, cancellationToken);
        return saved is null ? null : StudioForm.FromQueryString(saved.Query);
    }

    public static async Task SaveSettingsAsync(PortalDbContext db, string userId, StudioForm form, DateTime now, CancellationToken cancellationToken)
    {
        var saved = await db.StudioSettings.SingleOrDefaultAsync(s => s.UserId == userId, cancellationToken);
        if (saved is null)
            db.StudioSettings.Add(new StudioSettings { UserId = userId, Query = form.ToSettings(), UpdatedAt = now });
        else
        {
            saved.Query = form.ToSettings();
            saved.UpdatedAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>The requester's latest jobs, newest first, with their images: the Studio's results when it opens.</summary>
    public static async Task<List<(GenerationJob Job, List<ResultTileModel> Tiles)>> RecentJobsAsync(PortalDbContext db, Requester requester, int count, CancellationToken cancellationToken)
    {
        var jobs = await db.GenerationJobs.AsNoTracking().Where(j => j.UserId == requester.UserId)
            .OrderByDescending(j => j.CreatedAt).Take(count).ToListAsync(cancellationToken);
        var ids = jobs.Select(j => j.Id).ToList();
        var blueprints = await db.Blueprints.AsNoTracking().Where(b => ids.Contains(b.JobId) && b.DeletedAt == null).OrderBy(b => b.Index).ToListAsync(cancellationToken);
        var blueprintIds = blueprints.Select(b => b.Id).ToList();
        var favourites = (await db.Favourites.AsNoTracking().Where(f => f.UserId == requester.UserId && blueprintIds.Contains(f.BlueprintId))
            .Select(f => f.BlueprintId).ToListAsync(cancellationToken)).ToHashSet();
        return jobs.Select(j => (j, blueprints.Where(b => b.JobId == j.Id)
            .Select(b => Tile(j, b.Id, b.Index, b.Seed, requester) with { IsFavourite = favourites.Contains(b.Id) }).ToList())).ToList();
    }

    public static ResultTileModel Tile(GenerationJob job, Guid blueprintId, int index, long seed, Requester requester) =>
        new(blueprintId, job.Id, seed, RecipeLabel(job, index), CanAdvertise: requester.IsAdmin || requester.Roles.Contains(Aigc.Platform.Accounts.PortalRoles.Marketer));

    /// <summary>What besides the seed shaped image <paramref name="index"/>: "~variation seed" or "t=position"; null for a plain sample.</summary>
    public static string? RecipeLabel(GenerationJob job, int index) => job.Recipe switch
    {
        RecipeKind.Vary => $"~{job.VariationSeed + index}",
        RecipeKind.Interpolate => $"t={(double)JobRecipes.Frame(job, index) / (job.Frames!.Value - 1):0.00}",
        _ => null,
    };

    /// <summary>A one-line summary of a job: what it makes and from which seed.</summary>
    public static string Describe(GenerationJob job)
    {
        var conditions = string.Join(" · ", ConditionsJson.Read(job.ConditionsJson).Values);
        return job.Recipe switch
        {
            RecipeKind.Vary => $"Vary {conditions} — seed {job.Seed}, strength {job.Strength:0.##}",
            RecipeKind.Interpolate => $"Interpolate {conditions} → {string.Join(" · ", ConditionsJson.Read(job.EndConditionsJson!).Values)} — {job.Frames} frames",
            _ => $"{conditions} — {(job.Count == 1 ? $"seed {job.Seed}" : $"seeds {job.Seed}–{job.Seed + job.Count - 1}")}",
        };
    }
}
