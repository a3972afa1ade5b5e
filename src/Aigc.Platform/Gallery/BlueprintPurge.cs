using Aigc.Platform.Blobs;
using Aigc.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Gallery;

/// <summary>
/// Removes blueprints deleted longer ago than Gallery:RetentionHours (their tags, facets, favourites and collection
/// items go with them), then the blob files no remaining blueprint refers to. Rows first, files second: a crash in
/// between leaves orphan files for the next run, never rows pointing at missing files.
/// </summary>
public sealed class BlueprintPurge(IDbContextFactory<PortalDbContext> databases, BlobStore blobs, TimeProvider clock,
    IOptions<GalleryOptions> options, ILogger<BlueprintPurge> logger) : BackgroundService
{
    private const int BatchSize = 500;

    /// <summary>One pass; returns the number of blueprints removed.</summary>
    public async Task<int> PurgeAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = clock.GetUtcNow().UtcDateTime - TimeSpan.FromHours(options.Value.RetentionHours);
        var removed = 0;
        while (true)
        {
            await using var db = await databases.CreateDbContextAsync(cancellationToken);
            // Oldest deletions first, in a stable order: EF warns about Take without OrderBy, and rightly so.
            var batch = await db.Blueprints.AsNoTracking().Where(b => b.DeletedAt != null && b.DeletedAt < cutoff)
                .OrderBy(b => b.DeletedAt).ThenBy(b => b.Id)
                .Select(b => new { b.Id, b.FileSha256, b.ThumbnailSha256 }).Take(BatchSize).ToListAsync(cancellationToken);
            if (batch.Count == 0)
                return removed;
            var ids = batch.Select(b => b.Id).ToList();
            await db.Blueprints.Where(b => ids.Contains(b.Id)).ExecuteDeleteAsync(cancellationToken);
            removed += batch.Count;

            var files = batch.Select(b => b.FileSha256).Distinct().ToList();
            var stillUsed = await db.Blueprints.Where(b => files.Contains(b.FileSha256)).Select(b => b.FileSha256).Distinct().ToListAsync(cancellationToken);
            var goneFiles = files.Except(stillUsed).ToList();
            var variants = await db.ThumbnailVariants.Where(v => goneFiles.Contains(v.FileSha256)).Select(v => v.Sha256).ToListAsync(cancellationToken);
            await db.ThumbnailVariants.Where(v => goneFiles.Contains(v.FileSha256)).ExecuteDeleteAsync(cancellationToken);
            var thumbnails = batch.Where(b => b.ThumbnailSha256 is not null).Select(b => b.ThumbnailSha256!).Distinct().ToList();
            var thumbnailsUsed = await db.Blueprints.Where(b => b.ThumbnailSha256 != null && thumbnails.Contains(b.ThumbnailSha256))
                .Select(b => b.ThumbnailSha256!).Distinct().ToListAsync(cancellationToken);
            foreach (var sha in goneFiles.Concat(variants).Concat(thumbnails.Except(thumbnailsUsed)).Distinct())
                blobs.Delete(sha);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PurgeIntervalSeconds), clock);
        do
        {
            try
            {
                var removed = await PurgeAsync(stoppingToken);
                if (removed > 0)
                    logger.LogInformation("Purged {Count} deleted blueprints", removed);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "Purging deleted blueprints failed; next try in {Seconds} s", options.Value.PurgeIntervalSeconds);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
