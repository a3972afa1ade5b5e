using Aigc.Platform.Blobs;
using Aigc.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Aigc.LoadTest;

/// <summary>
/// The database side of a load run: every completed job has exactly its count of images, indices 0..count-1 once
/// each; no blob is shared by two images; every blob file exists; what the API listed matches.
/// </summary>
public static class ExactlyOnceCheck
{
    public static async Task<List<string>> RunAsync(PortalDbContext db, BlobStore blobs, IReadOnlyCollection<JobRecord> seen)
    {
        var problems = new List<string>();
        var ids = seen.Select(j => j.Id).ToList();
        var jobs = await db.GenerationJobs.AsNoTracking().Where(j => ids.Contains(j.Id)).ToDictionaryAsync(j => j.Id);
        var rows = await db.Blueprints.AsNoTracking().Where(b => ids.Contains(b.JobId))
            .Select(b => new { b.JobId, b.Index, b.FileSha256 }).ToListAsync();
        var byJob = rows.ToLookup(r => r.JobId);
        foreach (var record in seen)
        {
            if (!jobs.TryGetValue(record.Id, out var job))
            {
                problems.Add($"job {record.Id} is not in the database");
                continue;
            }

            var indices = byJob[record.Id].Select(r => r.Index).Order().ToList();
            if (job.Status != JobStatus.Completed)
                problems.Add($"job {record.Id} ended {job.Status}: {job.Error}");
            else if (!indices.SequenceEqual(Enumerable.Range(0, job.Count)))
                problems.Add($"job {record.Id} has {indices.Count} images for a count of {job.Count} (indices {string.Join(",", indices)})");
            if (job.ImagesDone != indices.Count)
                problems.Add($"job {record.Id} says {job.ImagesDone} images done but has {indices.Count} rows");
            if (record.Status == "completed" && record.ImagesListed != job.Count)
                problems.Add($"job {record.Id}: the API listed {record.ImagesListed} images at the end, not {job.Count}");
        }

        foreach (var shared in rows.GroupBy(r => r.FileSha256).Where(g => g.Count() > 1))
            problems.Add($"blob {shared.Key} is referenced by {shared.Count()} images");
        foreach (var row in rows.Where(r => !blobs.Exists(r.FileSha256)))
            problems.Add($"image {row.Index} of job {row.JobId}: blob {row.FileSha256} is missing");
        return problems;
    }

    /// <summary>Images stored between two moments (UTC), from the rows' own timestamps.</summary>
    public static Task<int> StoredBetweenAsync(PortalDbContext db, DateTime from, DateTime to) =>
        db.Blueprints.CountAsync(b => b.CreatedAt >= from && b.CreatedAt < to);
}
