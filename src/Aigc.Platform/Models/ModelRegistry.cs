using System.Security.Claims;
using Aigc.Generation.Manifest;
using Aigc.Neural;
using Aigc.Platform.Accounts;
using Aigc.Platform.Audit;
using Aigc.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Models;

/// <summary>
/// Model versions in the database and their files in the data directory. Versions are never deleted: activating one
/// moves the name's active pointer (the previous active version becomes a draft), retiring stops new jobs on it.
/// </summary>
public sealed class ModelRegistry(PortalDbContext db, ModelFiles files, NeuralEngine engine, AuditLog audit, TimeProvider clock)
{
    /// <summary>
    /// Validates a folder (manifest.json + generator.safetensors: strict load, smoke generation), copies it in under
    /// its weights hash and records it: active when the name has no active version yet, else a draft. Registering the
    /// same weights again returns the existing version.
    /// </summary>
    public async Task<ModelVersion> RegisterAsync(string folder, string version, ClaimsPrincipal? actor, CancellationToken cancellationToken = default)
    {
        var manifestPath = Path.Combine(folder, ModelFiles.ManifestFileName);
        var weightsPath = Path.Combine(folder, ModelFiles.WeightsFileName);
        if (!File.Exists(manifestPath) || !File.Exists(weightsPath))
            throw new ModelRejectedException($"{folder} must hold {ModelFiles.ManifestFileName} and {ModelFiles.WeightsFileName}.");
        if (string.IsNullOrWhiteSpace(version) || version.Length > 50)
            throw new ModelRejectedException($"The version label must be 1 to 50 characters (got \"{version}\").");

        var sha = await ModelFiles.HashAsync(weightsPath, cancellationToken);
        var existing = await db.ModelVersions.SingleOrDefaultAsync(m => m.WeightsSha256 == sha, cancellationToken);
        if (existing is not null)
            return existing;

        CganManifest manifest;
        try
        {
            manifest = CganManifest.Load(manifestPath);
        }
        catch (ManifestException e)
        {
            throw new ModelRejectedException(e.Message, e);
        }

        if (await db.ModelVersions.AnyAsync(m => m.Name == manifest.Name && m.Version == version, cancellationToken))
            throw new ModelRejectedException($"{manifest.Name}@{version} already exists with other weights; choose another version label.");
        await Task.Run(() => ModelValidation.LoadAndCheck(manifest, weightsPath, engine, cancellationToken), cancellationToken);

        var manifestJson = manifest.ToJson();
        files.Install(sha, manifestJson, weightsPath);
        var now = clock.GetUtcNow().UtcDateTime;
        var first = !await db.ModelVersions.AnyAsync(m => m.Name == manifest.Name && m.Status == ModelVersionStatus.Active, cancellationToken);
        var row = new ModelVersion
        {
            Id = Guid.NewGuid(),
            Name = manifest.Name,
            Version = version,
            WeightsSha256 = sha,
            WeightsBytes = new FileInfo(weightsPath).Length,
            ManifestJson = manifestJson,
            Status = first ? ModelVersionStatus.Active : ModelVersionStatus.Draft,
            AddedBy = actor?.Identity?.Name ?? "system",
            AddedAt = now,
            ActivatedAt = first ? now : null,
        };
        db.ModelVersions.Add(row);
        audit.Record(actor, "model.register", sha, $"{row.Name}@{row.Version}", first ? "active (first version of its name)" : "draft");
        await db.SaveChangesAsync(cancellationToken);
        return row;
    }

    /// <summary>Registers every shipped folder (any folder under <paramref name="root"/> holding both files), named by its folder; a no-op without any.</summary>
    public async Task<IReadOnlyList<ModelVersion>> RegisterShippedAsync(string root, CancellationToken cancellationToken = default)
    {
        var registered = new List<ModelVersion>();
        if (!Directory.Exists(root))
            return registered;
        foreach (var manifest in Directory.EnumerateFiles(root, ModelFiles.ManifestFileName, SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var folder = Path.GetDirectoryName(manifest)!;
            if (File.Exists(Path.Combine(folder, ModelFiles.WeightsFileName)))
                registered.Add(await RegisterAsync(folder, Path.GetFileName(folder), actor: null, cancellationToken));
        }

        return registered;
    }

    public Task<List<ModelVersion>> ListAsync(CancellationToken cancellationToken = default) =>
        db.ModelVersions.AsNoTracking().OrderBy(m => m.Name).ThenByDescending(m => m.AddedAt).ToListAsync(cancellationToken);

    public Task<ModelVersion?> FindAsync(string sha256, CancellationToken cancellationToken = default) =>
        db.ModelVersions.AsNoTracking().SingleOrDefaultAsync(m => m.WeightsSha256 == sha256, cancellationToken);

    /// <summary>
    /// The version a request names: "NAME" (its active version), "NAME@VERSION", or a weights hash. Throws
    /// <see cref="ModelRejectedException"/> when it is unknown, retired, broken or not open to any of the roles.
    /// </summary>
    public async Task<ModelVersion> ResolveForUseAsync(string reference, IReadOnlyCollection<string> roles, CancellationToken cancellationToken = default)
    {
        var at = reference.IndexOf('@');
        var name = at < 0 ? reference : reference[..at];
        var version = at < 0 ? null : reference[(at + 1)..];
        var query = db.ModelVersions.AsNoTracking();
        var found = version is not null
            ? await query.SingleOrDefaultAsync(m => m.Name == name && m.Version == version, cancellationToken)
            : await query.SingleOrDefaultAsync(m => m.WeightsSha256 == reference, cancellationToken)
              ?? await query.SingleOrDefaultAsync(m => m.Name == name && m.Status == ModelVersionStatus.Active, cancellationToken);
        if (found is null)
            throw new ModelRejectedException($"No model version \"{reference}\"{(version is null ? " (no active version of that name)" : "")}.");
        if (found.Status == ModelVersionStatus.Retired)
            throw new ModelRejectedException($"{found.Name}@{found.Version} is retired.");
        if (found.Status == ModelVersionStatus.Broken)
            throw new ModelRejectedException($"{found.Name}@{found.Version} is broken: {found.StatusReason}");
        var allowed = found.AllowedRoleList;
        if (allowed.Count > 0 && !roles.Contains(PortalRoles.Admin) && !allowed.Intersect(roles, StringComparer.OrdinalIgnoreCase).Any())
            throw new ModelRejectedException($"{found.Name}@{found.Version} is open to {string.Join(", ", allowed)} only.");
        return found;
    }

    /// <summary>Makes the version its name's active one; the previous active version becomes a draft (a later activate rolls back).</summary>
    public async Task ActivateAsync(string sha256, ClaimsPrincipal? actor, CancellationToken cancellationToken = default)
    {
        var target = await Require(sha256, cancellationToken);
        if (target.Status == ModelVersionStatus.Broken)
            throw new ModelRejectedException($"{target.Name}@{target.Version} is broken ({target.StatusReason}); it cannot be activated.");
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var previous in await db.ModelVersions.Where(m => m.Name == target.Name && m.Status == ModelVersionStatus.Active && m.Id != target.Id).ToListAsync(cancellationToken))
            previous.Status = ModelVersionStatus.Draft;
        target.Status = ModelVersionStatus.Active;
        target.StatusReason = null;
        target.ActivatedAt = now;
        audit.Record(actor, "model.activate", sha256, $"{target.Name}@{target.Version}");
        await db.SaveChangesAsync(cancellationToken);
    }

    public Task RetireAsync(string sha256, ClaimsPrincipal? actor, CancellationToken cancellationToken = default) =>
        SetStatus(sha256, ModelVersionStatus.Retired, null, actor, "model.retire", cancellationToken);

    /// <summary>Marks a version unusable with the reason shown to admins; other versions keep working.</summary>
    public Task MarkBrokenAsync(string sha256, string reason, CancellationToken cancellationToken = default) =>
        SetStatus(sha256, ModelVersionStatus.Broken, reason.Length > 2000 ? reason[..2000] : reason, null, "model.broken", cancellationToken);

    public async Task RestrictAsync(string sha256, IReadOnlyCollection<string> roles, ClaimsPrincipal? actor, CancellationToken cancellationToken = default)
    {
        var unknown = roles.Where(r => !PortalRoles.All.Contains(r)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"Unknown role(s): {string.Join(", ", unknown)}; roles are {string.Join(", ", PortalRoles.All)}.", nameof(roles));
        var target = await Require(sha256, cancellationToken);
        target.AllowedRoles = string.Join(",", roles.Distinct());
        audit.Record(actor, "model.restrict", sha256, $"{target.Name}@{target.Version}", roles.Count == 0 ? "all roles" : target.AllowedRoles);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task SetStatus(string sha256, ModelVersionStatus status, string? reason, ClaimsPrincipal? actor, string action, CancellationToken cancellationToken)
    {
        var target = await Require(sha256, cancellationToken);
        target.Status = status;
        target.StatusReason = reason;
        audit.Record(actor, action, sha256, $"{target.Name}@{target.Version}", reason);
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<ModelVersion> Require(string sha256, CancellationToken cancellationToken) =>
        await db.ModelVersions.SingleOrDefaultAsync(m => m.WeightsSha256 == sha256, cancellationToken)
        ?? throw new ModelRejectedException($"No model version with weights {sha256}.");
}
