using System.Security.Claims;
using Aigc.Generation.Datasets;
using Aigc.Platform.Audit;
using Aigc.Platform.Blobs;
using Aigc.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Training;

/// <summary>Drawings per exact condition of a version (or an analysed upload).</summary>
public sealed record ConditionCount(string Part, string View, string Complexity, int Count);

/// <summary>What an upload would become, before anything is stored.</summary>
public sealed record DatasetAnalysis(IReadOnlyList<DatasetProblem> Problems, int Drawings, int ToInvert, int ImageSize,
    IReadOnlyList<ConditionCount> Counts, byte[]? PreviewPng)
{
    public bool Accepted => Problems.Count == 0;
}

public sealed record DatasetImportResult(DatasetVersion? Version, IReadOnlyList<DatasetProblem> Problems);

public sealed record DatasetSummary(Guid Id, string Name, int Versions, int LatestNumber, int Images, string CreatedByName,
    DateTime CreatedAt);

public sealed record DatasetVersionDetails(DatasetVersion Version, IReadOnlyList<ConditionCount> Counts);

public sealed record DatasetDetails(Guid Id, string Name, string CreatedByName, DateTime CreatedAt,
    IReadOnlyList<DatasetVersionDetails> Versions);

/// <summary>
/// Datasets for admins and trainers (<see cref="TrainingAccess"/>, checked on every call): an upload is staged to a
/// file under the data directory with its size counted as it streams, analysed (every problem, nothing stored), and
/// imported as an immutable version whose preprocessed drawings are blobs named by their hash; deleting a dataset
/// removes its rows and the files nothing else names. Each call opens its own short unit of work; every change is audited.
/// </summary>
public sealed class DatasetLibrary(IDbContextFactory<PortalDbContext> contexts, BlobStore blobs, TimeProvider clock,
    IOptions<TrainingOptions> options, IOptions<PlatformOptions> platform)
{
    private TrainingOptions Settings => options.Value;

    public long MaxUploadBytes => Settings.MaxUploadBytes;

    /// <summary>
    /// Copies an upload to a staging file, refusing it the moment it passes Training:MaxUploadMegabytes whatever size
    /// the client claimed. Returns the staged file, or null (and nothing kept) when the upload is too large.
    /// </summary>
    public async Task<string?> StageAsync(ClaimsPrincipal user, Stream upload, CancellationToken cancellationToken = default)
    {
        TrainingAccess.Demand(user);
        var folder = Directory.CreateDirectory(Path.Combine(platform.Value.DataDirectoryFullPath, "uploads", "datasets")).FullName;
        var path = Path.Combine(folder, $"{Guid.NewGuid():N}.zip");
        var buffer = new byte[81920];
        long written = 0;
        var keep = false;
        try
        {
            await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                int read;
                while ((read = await upload.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    written += read;
                    if (written > Settings.MaxUploadBytes)
                        return null;
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }
            }

            keep = true;
            return path;
        }
        finally
        {
            if (!keep)
                File.Delete(path);
        }
    }

    /// <summary>Removes a staged upload and its preview (after import, or when the person leaves the page).</summary>
    public static void Discard(string? stagedPath)
    {
        if (stagedPath is null)
            return;
        File.Delete(stagedPath);
        File.Delete(PreviewOf(stagedPath));
    }

    /// <summary>The id by which a page asks for a staged upload's preview (the staging file's name).</summary>
    public static Guid StagedId(string stagedPath) => Guid.ParseExact(Path.GetFileNameWithoutExtension(stagedPath), "N");

    /// <summary>The before/after sheet of an analysed upload, or null (no such upload, or not analysed).</summary>
    public async Task<byte[]?> StagedPreviewAsync(ClaimsPrincipal user, Guid id, CancellationToken cancellationToken = default)
    {
        TrainingAccess.Demand(user);
        var path = PreviewOf(Path.Combine(platform.Value.DataDirectoryFullPath, "uploads", "datasets", $"{id:N}.zip"));
        return File.Exists(path) ? await File.ReadAllBytesAsync(path, cancellationToken) : null;
    }

    private static string PreviewOf(string stagedPath) => Path.ChangeExtension(stagedPath, ".preview.png");

    public DatasetProblem TooLarge() => new(DatasetProblemKind.UploadTooLarge, "",
        $"the upload is larger than {Settings.MaxUploadMegabytes} MB (Training:MaxUploadMegabytes).");

    /// <summary>Validates a staged ZIP and shows its preprocessing; stores nothing.</summary>
    public Task<DatasetAnalysis> AnalyseAsync(ClaimsPrincipal user, string stagedPath, CancellationToken cancellationToken = default)
    {
        TrainingAccess.Demand(user);
        return Task.Run(() =>
        {
            var content = DatasetArchive.Read(stagedPath, Settings, cancellationToken);
            if (!content.Accepted)
                return new DatasetAnalysis(content.Problems, 0, 0, Settings.ImageSize, [], null);
            var toInvert = content.Drawings.Count(d => IsLightPaper(d.Bytes));
            var preview = DatasetFiles.Preview(content.Drawings, Settings.ImageSize);
            File.WriteAllBytes(PreviewOf(stagedPath), preview);
            return new DatasetAnalysis([], content.Drawings.Count, toInvert, Settings.ImageSize, Count(content.Drawings.Select(d => d.Label)),
                preview);
        }, cancellationToken);
    }

    /// <summary>
    /// Imports a staged ZIP as the next version of the dataset <paramref name="name"/> (created when new): validated
    /// again, preprocessed, every drawing and the contact sheet stored as blobs, then the rows in one transaction.
    /// With any problem nothing is stored.
    /// </summary>
    public async Task<DatasetImportResult> ImportAsync(ClaimsPrincipal user, string name, string stagedPath, string sourceName,
        CancellationToken cancellationToken = default)
    {
        TrainingAccess.Demand(user);
        name = name.Trim();
        if (name.Length is 0 or > 100)
            return new DatasetImportResult(null, [new DatasetProblem(DatasetProblemKind.NoName, "name", "a dataset needs a name of 1 to 100 characters.")]);
        var size = Settings.ImageSize;
        var content = await Task.Run(() => DatasetArchive.Read(stagedPath, Settings, cancellationToken), cancellationToken);
        if (!content.Accepted)
            return new DatasetImportResult(null, content.Problems);

        // Canonical order, so the same drawings give the same version hash whatever the archive's order.
        var prepared = await Task.Run(() => content.Drawings
            .OrderBy(d => d.Label.PartIndex).ThenBy(d => d.Label.View, StringComparer.Ordinal)
            .ThenBy(d => d.Label.Complexity, StringComparer.Ordinal).ThenBy(d => d.Entry, StringComparer.Ordinal)
            .AsParallel().AsOrdered().WithCancellation(cancellationToken)
            .Select(d => (d.Label, Normalised: DatasetImporter.Normalise(d.Bytes, size))).ToList(), cancellationToken);
        var images = prepared.Select(p => (p.Label, p.Normalised.Png)).ToList();
        var shas = new List<string>();
        foreach (var (_, png) in images)
            shas.Add(await blobs.PutAsync(png, cancellationToken));
        var sheet = await blobs.PutAsync(DatasetFiles.ContactSheet(images, size), cancellationToken);

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var dataset = await db.Datasets.SingleOrDefaultAsync(d => d.Name == name, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        if (dataset is null)
        {
            dataset = new Dataset
            {
                Id = Guid.NewGuid(), Name = name, CreatedAt = now, CreatedByName = NameOf(user),
                CreatedById = user.FindFirstValue(ClaimTypes.NameIdentifier) ?? NameOf(user),
            };
            db.Datasets.Add(dataset);
        }

        var number = 1 + (await db.DatasetVersions.Where(v => v.DatasetId == dataset.Id).MaxAsync(v => (int?)v.Number, cancellationToken) ?? 0);
        var version = new DatasetVersion
        {
            Id = Guid.NewGuid(),
            DatasetId = dataset.Id,
            Number = number,
            DataHash = DatasetFiles.Hash(images),
            ImageSize = size,
            ImageCount = images.Count,
            InvertedCount = prepared.Count(p => p.Normalised.Inverted),
            ContactSheetSha256 = sheet,
            SourceName = Path.GetFileName(sourceName) is { Length: > 0 and <= 256 } file ? file : "upload.zip",
            CreatedByName = NameOf(user),
            CreatedAt = now,
            Images = images.Select((image, i) => new DatasetImage
            {
                Index = i, Sha256 = shas[i], Part = image.Label.Part, View = image.Label.View, Complexity = image.Label.Complexity,
            }).ToList(),
        };
        db.DatasetVersions.Add(version);
        new AuditLog(db, clock).Record(user, "dataset.import", version.Id.ToString(), $"{dataset.Name} v{number}",
            $"{images.Count} drawings ({version.InvertedCount} inverted), {version.DataHash}");
        await db.SaveChangesAsync(cancellationToken);
        return new DatasetImportResult(version, []);
    }

    public async Task<List<DatasetSummary>> ListAsync(ClaimsPrincipal user, CancellationToken cancellationToken = default)
    {
        TrainingAccess.Demand(user);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Datasets.AsNoTracking().OrderBy(d => d.Name)
            .Select(d => new DatasetSummary(d.Id, d.Name, d.Versions.Count, d.Versions.Max(v => (int?)v.Number) ?? 0,
                d.Versions.OrderByDescending(v => v.Number).Select(v => v.ImageCount).FirstOrDefault(), d.CreatedByName, d.CreatedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>A dataset with its versions and their counts per condition; null when there is none.</summary>
    public async Task<DatasetDetails?> FindAsync(ClaimsPrincipal user, Guid id, CancellationToken cancellationToken = default)
    {
        TrainingAccess.Demand(user);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var dataset = await db.Datasets.AsNoTracking().SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (dataset is null)
            return null;
        var versions = await db.DatasetVersions.AsNoTracking().Where(v => v.DatasetId == id).OrderByDescending(v => v.Number)
            .ToListAsync(cancellationToken);
        var ids = versions.Select(v => v.Id).ToList();
        var counts = await db.DatasetImages.Where(i => ids.Contains(i.VersionId))
            .GroupBy(i => new { i.VersionId, i.Part, i.View, i.Complexity })
            .Select(g => new { g.Key.VersionId, g.Key.Part, g.Key.View, g.Key.Complexity, Count = g.Count() })
            .ToListAsync(cancellationToken);
        return new DatasetDetails(dataset.Id, dataset.Name, dataset.CreatedByName, dataset.CreatedAt, versions
            .Select(v => new DatasetVersionDetails(v, Ordered(counts.Where(c => c.VersionId == v.Id)
                .Select(c => new ConditionCount(c.Part, c.View, c.Complexity, c.Count)))))
            .ToList());
    }

    /// <summary>The contact sheet of a version, or null when there is no such version.</summary>
    public async Task<(byte[] Png, string Sha256)?> ContactSheetAsync(ClaimsPrincipal user, Guid versionId, CancellationToken cancellationToken = default)
    {
        TrainingAccess.Demand(user);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var sha = await db.DatasetVersions.Where(v => v.Id == versionId).Select(v => v.ContactSheetSha256).SingleOrDefaultAsync(cancellationToken);
        return sha is null ? null : (await blobs.ReadAllAsync(sha, cancellationToken), sha);
    }

    /// <summary>
    /// Deletes a dataset, its versions and the files no other row names. Refused while a training run that has not
    /// ended uses it. False when there is no such dataset.
    /// </summary>
    public async Task<bool> DeleteAsync(ClaimsPrincipal user, Guid id, CancellationToken cancellationToken = default)
    {
        TrainingAccess.Demand(user);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var dataset = await db.Datasets.SingleOrDefaultAsync(d => d.Id == id, cancellationToken);
        if (dataset is null)
            return false;
        var versionIds = await db.DatasetVersions.Where(v => v.DatasetId == id).Select(v => v.Id).ToListAsync(cancellationToken);
        var files = await db.DatasetImages.Where(i => versionIds.Contains(i.VersionId)).Select(i => i.Sha256)
            .Concat(db.DatasetVersions.Where(v => versionIds.Contains(v.Id)).Select(v => v.ContactSheetSha256))
            .Distinct().ToListAsync(cancellationToken);
        db.Datasets.Remove(dataset);
        new AuditLog(db, clock).Record(user, "dataset.delete", dataset.Id.ToString(), dataset.Name,
            $"{versionIds.Count} version(s), {files.Count} file(s)");
        await db.SaveChangesAsync(cancellationToken);
        var stillNamed = await db.DatasetImages.Where(i => files.Contains(i.Sha256)).Select(i => i.Sha256)
            .Concat(db.DatasetVersions.Where(v => files.Contains(v.ContactSheetSha256)).Select(v => v.ContactSheetSha256))
            .ToListAsync(cancellationToken);
        foreach (var sha in files.Except(stillNamed))
            blobs.Delete(sha);
        return true;
    }

    /// <summary>Writes a version as the canonical dataset folder training reads; returns its data hash.</summary>
    public async Task<string> MaterialiseAsync(Guid versionId, string directory, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var version = await db.DatasetVersions.AsNoTracking().SingleOrDefaultAsync(v => v.Id == versionId, cancellationToken)
            ?? throw new InvalidOperationException($"Dataset version {versionId} no longer exists.");
        var rows = await db.DatasetImages.AsNoTracking().Where(i => i.VersionId == versionId).OrderBy(i => i.Index).ToListAsync(cancellationToken);
        var images = new List<(BlueprintLabel, byte[])>();
        foreach (var row in rows)
            images.Add((new BlueprintLabel(row.Part, row.View, row.Complexity), await blobs.ReadAllAsync(row.Sha256, cancellationToken)));
        DatasetFiles.Write(directory, version.ImageSize, version.DataHash, images);
        return version.DataHash;
    }

    private bool IsLightPaper(byte[] bytes)
    {
        try
        {
            return DatasetImporter.Normalise(bytes, Settings.ImageSize).Inverted;
        }
        catch (Exception e) when (e is Imaging.ImageRejectedException or NetVips.VipsException)
        {
            return false;
        }
    }

    private static List<ConditionCount> Count(IEnumerable<BlueprintLabel> labels) =>
        Ordered(labels.GroupBy(l => l).Select(g => new ConditionCount(g.Key.Part, g.Key.View, g.Key.Complexity, g.Count())));

    private static List<ConditionCount> Ordered(IEnumerable<ConditionCount> counts) =>
        counts.OrderBy(c => new BlueprintLabel(c.Part, c.View, c.Complexity).PartIndex)
            .ThenBy(c => IndexOf(BlueprintConditions.Views, c.View)).ThenBy(c => IndexOf(BlueprintConditions.Complexities, c.Complexity)).ToList();

    private static int IndexOf(IReadOnlyList<string> values, string value) => values.ToList().IndexOf(value);

    private static string NameOf(ClaimsPrincipal user) => user.Identity?.Name ?? "system";
}
