using System.Security.Claims;
using Aigc.Generation.Manifest;
using Aigc.Platform.Accounts;
using Aigc.Platform.Audit;
using Aigc.Platform.Blobs;
using Aigc.Platform.Data;
using Aigc.Platform.Refusals;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Models;

/// <summary>
/// Model versions in the database and their files in the data directory. Versions are never deleted: activating one
/// moves the name's active pointer (the previous active version becomes a draft), retiring stops new jobs on it.
/// </summary>
public sealed class ModelRegistry(PortalDbContext db, ModelFiles files, ModelInference inference, BlobStore blobs, AuditLog audit, TimeProvider clock)
{
    /// <summary>
    /// Validates a folder (manifest.json + generator.safetensors: strict load, smoke generation; the optional card,
    /// licence, metrics and sample grid), copies it in under its weights hash and records it: active when the name has
    /// no active version yet, else a draft. Registering the same weights again returns the existing version and fills
    /// in documentation it lacked, unless <paramref name="refuseKnownWeights"/> (an upload) makes that an error.
    /// Without <paramref name="mayActivate"/> it is a draft even as its name's first version.
    /// </summary>
    public async Task<ModelVersion> RegisterAsync(string folder, string version, ClaimsPrincipal? actor, CancellationToken cancellationToken = default,
        bool refuseKnownWeights = false, bool mayActivate = true)
    {
        var manifestPath = Path.Combine(folder, ModelFiles.ManifestFileName);
        var weightsPath = Path.Combine(folder, ModelFiles.WeightsFileName);
        if (!File.Exists(manifestPath))
            throw new ModelRejectedException($"{folder} must hold {ModelFiles.ManifestFileName}.", file: ModelFiles.ManifestFileName);
        if (!File.Exists(weightsPath))
            throw new ModelRejectedException($"{folder} must hold {ModelFiles.WeightsFileName}.", file: ModelFiles.WeightsFileName);
        if (string.IsNullOrWhiteSpace(version) || version.Length > 50)
            throw new ModelRejectedException($"The version label must be 1 to 50 characters (got \"{version}\").", file: "version");

        var documents = await ModelDocuments.ReadAsync(folder, cancellationToken);
        var sha = await ModelFiles.HashAsync(weightsPath, cancellationToken);
        var existing = await db.ModelVersions.SingleOrDefaultAsync(m => m.WeightsSha256 == sha, cancellationToken);
        if (existing is not null)
        {
            if (refuseKnownWeights)
                throw new ModelRejectedException($"These weights are already registered as {existing.Name}@{existing.Version} ({sha[..12]}).", file: ModelFiles.WeightsFileName);
            files.InstallEncoder(sha, folder);
            if (await FillMissingDocumentsAsync(existing, documents, cancellationToken))
            {
                audit.Record(actor, "model.documents", sha, $"{existing.Name}@{existing.Version}", "documentation filled in from its folder");
                await db.SaveChangesAsync(cancellationToken);
            }

            return existing;
        }

        CganManifest manifest;
        try
        {
            manifest = CganManifest.Load(manifestPath);
        }
        catch (ManifestException e)
        {
            throw new ModelRejectedException(e.Message, e, ModelFiles.ManifestFileName);
        }

        if (await db.ModelVersions.AnyAsync(m => m.Name == manifest.Name && m.Version == version, cancellationToken))
            throw new ModelRejectedException($"{manifest.Name}@{version} already exists with other weights; choose another version label.", file: "version");
        await inference.CheckAsync(manifest, weightsPath, cancellationToken);

        var manifestJson = manifest.ToJson();
        files.Install(sha, manifestJson, weightsPath);
        files.InstallEncoder(sha, folder);
        var now = clock.GetUtcNow().UtcDateTime;
        var first = mayActivate && !await db.ModelVersions.AnyAsync(m => m.Name == manifest.Name && m.Status == ModelVersionStatus.Active, cancellationToken);
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
        await FillMissingDocumentsAsync(row, documents, cancellationToken);
        db.ModelVersions.Add(row);
        audit.Record(actor, "model.register", sha, $"{row.Name}@{row.Version}", first ? "active (first version of its name)" : "draft");
        await db.SaveChangesAsync(cancellationToken);
        return row;
    }

    /// <summary>
    /// Registers every shipped folder (any folder under <paramref name="root"/> holding both files), named by its folder;
    /// a no-op without any. Folders sharing a parent are versions of one model, taken oldest first in numeric order
    /// (v2 before v10); only the newest may become active, so a fresh installation starts on the newest shipped
    /// version with the older ones as drafts to roll back to, and an existing one gets new shipped versions as drafts
    /// for an admin to activate.
    /// </summary>
    public async Task<IReadOnlyList<ModelVersion>> RegisterShippedAsync(string root, CancellationToken cancellationToken = default)
    {
        var registered = new List<ModelVersion>();
        if (!Directory.Exists(root))
            return registered;
        var folders = Directory.EnumerateFiles(root, ModelFiles.ManifestFileName, SearchOption.AllDirectories)
            .Select(manifest => Path.GetDirectoryName(manifest)!)
            .Where(folder => File.Exists(Path.Combine(folder, ModelFiles.WeightsFileName)))
            .GroupBy(Path.GetDirectoryName, StringComparer.Ordinal)
            .OrderBy(group => group.Key, StringComparer.Ordinal);
        foreach (var versions in folders)
        {
            var ordered = versions.OrderBy(Path.GetFileName, ShippedVersionOrder.Instance).ToList();
            foreach (var folder in ordered)
                registered.Add(await RegisterAsync(folder, Path.GetFileName(folder), actor: null, cancellationToken, mayActivate: folder == ordered[^1]));
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
            : (IsSha256(reference) ? await query.SingleOrDefaultAsync(m => m.WeightsSha256 == reference, cancellationToken) : null)
              ?? await query.SingleOrDefaultAsync(m => m.Name == name && m.Status == ModelVersionStatus.Active, cancellationToken);
        if (found is null)
            throw new ModelRejectedException(new Refusal(version is null ? "ModelNoActive" : "ModelUnknown", "model",
                reference));
        if (found.Status == ModelVersionStatus.Retired)
            throw new ModelRejectedException(new Refusal("ModelRetired", "model", $"{found.Name}@{found.Version}"));
        if (found.Status == ModelVersionStatus.Broken)
            throw new ModelRejectedException(new Refusal("ModelBroken", "model", $"{found.Name}@{found.Version}",
                found.StatusReason ?? ""));
        if (!ModelAccess.IsOpenTo(found, roles))
            throw new ModelRejectedException(new Refusal("ModelRolesOnly", "model", $"{found.Name}@{found.Version}",
                string.Join(", ", found.AllowedRoleList)));
        return found;
    }

    // Every submission resolves its model: a plain name need not be looked up as a weights hash first.
    private static bool IsSha256(string reference) => reference.Length == 64 && reference.All(char.IsAsciiHexDigit);

    /// <summary>
    /// Makes the version its name's active one; the previous active version becomes a draft and is remembered as the
    /// one <see cref="RollBackAsync"/> returns to.
    /// </summary>
    public async Task ActivateAsync(string sha256, ClaimsPrincipal? actor, CancellationToken cancellationToken = default)
    {
        var target = await Require(sha256, cancellationToken);
        var previous = await MoveActiveAsync(target, cancellationToken);
        if (previous is not null)
            target.PreviousActiveSha256 = previous.WeightsSha256;
        audit.Record(actor, "model.activate", sha256, $"{target.Name}@{target.Version}", previous is null ? null : $"was {previous.Name}@{previous.Version}");
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// Moves the name's active pointer back to the version that was active before the current one; nothing is deleted,
    /// and rolling back again goes one step further back. Returns the version now active.
    /// </summary>
    public async Task<ModelVersion> RollBackAsync(string name, ClaimsPrincipal? actor, CancellationToken cancellationToken = default)
    {
        var current = await db.ModelVersions.SingleOrDefaultAsync(m => m.Name == name && m.Status == ModelVersionStatus.Active, cancellationToken)
            ?? throw new ModelRejectedException(new Refusal("NoActiveVersion", "name", name));
        if (current.PreviousActiveSha256 is null)
            throw new ModelRejectedException(new Refusal("NoEarlierVersion", "name", $"{current.Name}@{current.Version}"));
        var target = await Require(current.PreviousActiveSha256, cancellationToken);
        if (target.Status is ModelVersionStatus.Retired or ModelVersionStatus.Broken)
            throw new ModelRejectedException(new Refusal(target.Status == ModelVersionStatus.Retired
                ? "RollBackToRetired" : "RollBackToBroken", "name", $"{current.Name}@{current.Version}",
                $"{target.Name}@{target.Version}"));
        await MoveActiveAsync(target, cancellationToken);
        audit.Record(actor, "model.rollback", target.WeightsSha256, $"{target.Name}@{target.Version}", $"was {current.Name}@{current.Version}");
        await db.SaveChangesAsync(cancellationToken);
        return target;
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

    private async Task<ModelVersion?> MoveActiveAsync(ModelVersion target, CancellationToken cancellationToken)
    {
        if (target.Status == ModelVersionStatus.Broken)
            throw new ModelRejectedException(new Refusal("BrokenCannotActivate", "version", $"{target.Name}@{target.Version}",
                target.StatusReason ?? ""));
        var previous = await db.ModelVersions
            .SingleOrDefaultAsync(m => m.Name == target.Name && m.Status == ModelVersionStatus.Active && m.Id != target.Id, cancellationToken);
        if (previous is not null)
            previous.Status = ModelVersionStatus.Draft;
        target.Status = ModelVersionStatus.Active;
        target.StatusReason = null;
        target.ActivatedAt = clock.GetUtcNow().UtcDateTime;
        return previous;
    }

    private async Task<bool> FillMissingDocumentsAsync(ModelVersion row, ModelDocuments documents, CancellationToken cancellationToken)
    {
        var changed = false;
        if (row.ModelCard is null && documents.ModelCard is not null)
            (row.ModelCard, changed) = (documents.ModelCard, true);
        if (row.License is null && documents.License is not null)
            (row.License, changed) = (documents.License, true);
        if (row.MetricsJson is null && documents.MetricsJson is not null)
            (row.MetricsJson, changed) = (documents.MetricsJson, true);
        if (row.SamplesSha256 is null && documents.SamplesPng is not null)
            (row.SamplesSha256, changed) = (await blobs.PutAsync(documents.SamplesPng, cancellationToken), true);
        return changed;
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
