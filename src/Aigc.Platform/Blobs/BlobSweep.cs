using Aigc.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Blobs;

/// <summary>
/// Finds the files in the blob store that no row names (left by a failed store, a killed worker, a fault between a
/// file and its row) and removes those older than Blobs:SweepMinAgeHours; runs every Blobs:SweepIntervalMinutes and
/// from <c>aigc blobs check --repair</c>. Files are listed before the rows are read, so a file whose row is committed
/// meanwhile is young, and kept.
/// </summary>
public sealed class BlobSweep(
    IDbContextFactory<PortalDbContext> databases, BlobStore blobs, IOptions<BlobOptions> options, TimeProvider clock,
    ILogger<BlobSweep> logger) : BackgroundService
{
    public async Task<BlobSweepReport> RunAsync(bool remove, CancellationToken cancellationToken = default)
    {
        var cutoff = clock.GetUtcNow().UtcDateTime - TimeSpan.FromHours(options.Value.SweepMinAgeHours);
        var files = blobs.List().ToList();
        var named = await NamedAsync(cancellationToken);
        var found = new List<UnreferencedFile>();
        foreach (var file in files.Where(f => f.Sha256 is null || !named.Contains(f.Sha256)))
        {
            var old = file.WrittenAt < cutoff;
            found.Add(new UnreferencedFile(file, old, remove && old && blobs.RemoveIfOlder(file, cutoff)));
        }

        return new BlobSweepReport(found, TimeSpan.FromHours(options.Value.SweepMinAgeHours));
    }

    /// <summary>
    /// Every blob a row names: blueprint images and thumbnails, sized thumbnails, ads, logos, sample grids, dataset
    /// drawings and contact sheets, training checkpoints, sample grids and variants sheets.
    /// </summary>
    private async Task<HashSet<string>> NamedAsync(CancellationToken cancellationToken)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var named = new HashSet<string>(StringComparer.Ordinal);
        named.UnionWith(await db.Blueprints.Select(b => b.FileSha256).ToListAsync(cancellationToken));
        named.UnionWith(await db.Blueprints.Where(b => b.ThumbnailSha256 != null).Select(b => b.ThumbnailSha256!)
            .ToListAsync(cancellationToken));
        named.UnionWith(await db.ThumbnailVariants.Select(v => v.Sha256).ToListAsync(cancellationToken));
        named.UnionWith(await db.AdRenders.Select(r => r.FileSha256).ToListAsync(cancellationToken));
        named.UnionWith(await db.BrandKits.Where(k => k.LogoSha256 != null).Select(k => k.LogoSha256!)
            .ToListAsync(cancellationToken));
        named.UnionWith(await db.ModelVersions.Where(m => m.SamplesSha256 != null).Select(m => m.SamplesSha256!)
            .ToListAsync(cancellationToken));
        named.UnionWith(await db.DatasetImages.Select(i => i.Sha256).Distinct().ToListAsync(cancellationToken));
        named.UnionWith(await db.DatasetVersions.Select(v => v.ContactSheetSha256).ToListAsync(cancellationToken));
        foreach (var run in await db.TrainingRuns.Select(r => new { r.CheckpointSha256, r.SamplesSha256, r.VariantsSha256 })
                     .ToListAsync(cancellationToken))
            named.UnionWith(new[] { run.CheckpointSha256, run.SamplesSha256, run.VariantsSha256 }.OfType<string>());
        return named;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var minutes = options.Value.SweepIntervalMinutes;
        if (minutes == 0)
            return;
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(minutes), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var report = await RunAsync(remove: true, stoppingToken);
                if (report.Removed > 0)
                {
                    logger.LogInformation("Swept {Count} unreferenced blob files ({Bytes} bytes)",
                        report.Removed, report.RemovedBytes);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Sweeping unreferenced blob files failed; next try in {Minutes} min", minutes);
            }
        }
    }
}

/// <summary>A file no row names; <see cref="Old"/> when past the safe age, <see cref="Removed"/> once swept.</summary>
public sealed record UnreferencedFile(StoredFile File, bool Old, bool Removed);

public sealed record BlobSweepReport(IReadOnlyList<UnreferencedFile> Files, TimeSpan MinAge)
{
    public int Removed => Files.Count(f => f.Removed);

    /// <summary>Old files still there: what a sweep would remove.</summary>
    public int OldLeft => Files.Count(f => f.Old && !f.Removed);

    public long RemovedBytes => Files.Where(f => f.Removed).Sum(f => f.File.Bytes);
}
