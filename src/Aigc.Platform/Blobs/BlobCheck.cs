using System.Security.Cryptography;
using Aigc.Generation;
using Aigc.Generation.Inference;
using Aigc.Platform.Data;
using Aigc.Platform.Models;
using Aigc.Platform.Queue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Blobs;

/// <summary>
/// Checks every file the database names (blueprint images and thumbnails, ad renders, brand logos, model sample
/// grids) against its hash and, when asked, makes missing or damaged blueprint files again from their job's recipe
/// (and takes a shipped version's sample grid back from its folder).
/// A file made again is restored only when its bytes hash to the recorded value, so a repair never puts other bytes
/// under a name; every other problem is reported with what to do about it.
/// </summary>
public sealed class BlobCheck(
    IDbContextFactory<PortalDbContext> databases, BlobStore blobs, LoadedModels models, IInferenceDevice device, BlueprintRender render, IOptions<QueueOptions> options)
{
    public async Task<BlobCheckReport> RunAsync(bool repair, CancellationToken cancellationToken = default)
    {
        await using var db = await databases.CreateDbContextAsync(cancellationToken);
        var states = new Dictionary<string, BlobState>(StringComparer.Ordinal);
        var problems = new List<BlobProblem>();
        var damaged = new List<Damaged>();

        async Task<BlobProblem?> CheckAsync(string what, string sha, string note)
        {
            if (!states.TryGetValue(sha, out var state))
                states[sha] = state = await blobs.CheckAsync(sha, cancellationToken);
            if (state == BlobState.Intact)
                return null;
            var problem = new BlobProblem(what, sha, state, false, note);
            problems.Add(problem);
            return problem;
        }

        var remake = repair ? "" : "can be made again from its recipe (repair)";
        foreach (var b in await db.Blueprints.AsNoTracking().OrderBy(b => b.JobId).ThenBy(b => b.Index)
                     .Select(b => new { b.Id, b.JobId, b.Index, b.FileSha256, b.ThumbnailSha256 }).ToListAsync(cancellationToken))
        {
            if (await CheckAsync($"blueprint {b.Id} image", b.FileSha256, remake) is { } image)
                damaged.Add(new Damaged(b.JobId, b.Index, image, Thumbnail: false));
            if (b.ThumbnailSha256 is { } sha && await CheckAsync($"blueprint {b.Id} thumbnail", sha, remake) is { } thumbnail)
                damaged.Add(new Damaged(b.JobId, b.Index, thumbnail, Thumbnail: true));
        }

        const string Backup = "restore the file from a backup";
        foreach (var r in await db.AdRenders.AsNoTracking().Select(r => new { r.Id, r.CampaignId, r.FileSha256 }).ToListAsync(cancellationToken))
            await CheckAsync($"ad render {r.Id} of campaign {r.CampaignId}", r.FileSha256, "render the campaign again, or " + Backup);
        foreach (var k in await db.BrandKits.AsNoTracking().Where(k => k.LogoSha256 != null).Select(k => new { k.Id, k.LogoSha256 }).ToListAsync(cancellationToken))
            await CheckAsync($"brand kit {k.Id} logo", k.LogoSha256!, "upload the logo again, or " + Backup);
        foreach (var v in await db.DatasetVersions.AsNoTracking().Select(v => new { v.Id, v.ContactSheetSha256 }).ToListAsync(cancellationToken))
            await CheckAsync($"dataset version {v.Id} contact sheet", v.ContactSheetSha256, "import the dataset again, or " + Backup);
        foreach (var i in await db.DatasetImages.AsNoTracking().Select(i => new { i.VersionId, i.Index, i.Sha256 }).ToListAsync(cancellationToken))
            await CheckAsync($"dataset version {i.VersionId} drawing {i.Index}", i.Sha256, "import the dataset again, or " + Backup);

        var shipped = await ShippedGridsAsync(cancellationToken);
        var grids = new List<BlobProblem>();
        foreach (var m in await db.ModelVersions.AsNoTracking().Where(m => m.SamplesSha256 != null)
                     .Select(m => new { m.Name, m.Version, m.SamplesSha256 }).ToListAsync(cancellationToken))
        {
            var note = shipped.ContainsKey(m.SamplesSha256!) && !repair ? "is in the shipped model folder (repair)" : Backup;
            if (await CheckAsync($"model {m.Name}@{m.Version} sample grid", m.SamplesSha256!, note) is { } grid)
                grids.Add(grid);
        }

        if (repair)
        {
            foreach (var problem in grids.Where(g => shipped.ContainsKey(g.Sha256)))
                problems[problems.IndexOf(problem)] = await RestoreAsync(problem, await File.ReadAllBytesAsync(shipped[problem.Sha256], cancellationToken),
                    "taken from the shipped model folder", cancellationToken);
            foreach (var job in damaged.GroupBy(d => d.JobId))
                foreach (var (problem, outcome) in await RepairJobAsync(db, job.Key, job.ToList(), cancellationToken))
                    problems[problems.IndexOf(problem)] = outcome;
        }

        return new BlobCheckReport(states.Count, problems);
    }

    /// <summary>Makes the damaged images of one job again, one engine pass each (bit-identical on any batch size).</summary>
    private async Task<List<(BlobProblem, BlobProblem)>> RepairJobAsync(PortalDbContext db, Guid jobId, List<Damaged> damaged, CancellationToken cancellationToken)
    {
        var job = await db.GenerationJobs.AsNoTracking().SingleAsync(j => j.Id == jobId, cancellationToken);
        var version = await db.ModelVersions.AsNoTracking().SingleOrDefaultAsync(m => m.WeightsSha256 == job.ModelSha256, cancellationToken);
        Generator generator;
        try
        {
            generator = version is null
                ? throw new ModelRejectedException($"no model version with weights {job.ModelSha256} is registered.")
                : await models.GetAsync(job.ModelSha256, cancellationToken);
        }
        catch (ModelRejectedException e)
        {
            return damaged.Select(d => (d.Problem, d.Problem with { Note = $"cannot be made again: {e.Message}" })).ToList();
        }

        var outcomes = new List<(BlobProblem, BlobProblem)>();
        foreach (var image in damaged.GroupBy(d => d.Index))
        {
            var pixels = (await device.GenerateAsync(generator, [JobRecipes.Item(job, image.Key, generator.Manifest.Schema)], cancellationToken))[0];
            var made = await render.RunAsync(job, image.Key, pixels, version!, generator.Manifest, cancellationToken);
            foreach (var d in image)
                outcomes.Add((d.Problem, await RestoreAsync(d.Problem, d.Thumbnail ? made.Thumbnail : made.Bytes, "made again from its recipe", cancellationToken)));
        }

        return outcomes;
    }

    /// <summary>The sample grids of the shipped versions (Queue:ShippedModelsDirectory/NAME/VERSION), by their hash.</summary>
    private async Task<Dictionary<string, string>> ShippedGridsAsync(CancellationToken cancellationToken)
    {
        var grids = new Dictionary<string, string>(StringComparer.Ordinal);
        var root = options.Value.ShippedModelsDirectory;
        if (!Directory.Exists(root))
            return grids;
        foreach (var file in Directory.EnumerateFiles(root, ModelFiles.SamplesFileName, new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 2 }))
        {
            await using var stream = File.OpenRead(file);
            grids.TryAdd(Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken)), file);
        }

        return grids;
    }

    private async Task<BlobProblem> RestoreAsync(BlobProblem problem, byte[]? bytes, string how, CancellationToken cancellationToken)
    {
        if (bytes is null)
            return problem with { Note = $"{how}, but that makes no such file any more; restore the file from a backup" };
        var sha = BlobStore.HashOf(bytes);
        if (sha != problem.Sha256)
            return problem with
            {
                // Pixels reproduce bit for bit only on the device that made them (decision 0017).
                Note = $"{how}, but as other bytes ({sha[..12]}…): the engine ({device.Engine} here; an image made on "
                    + "another Inference:Device repairs only there), preset, encoder or file changed since; restore "
                    + "the file from a backup",
            };
        await blobs.RestoreAsync(problem.Sha256, bytes, cancellationToken);
        return problem with { Repaired = true, Note = $"{how}, byte for byte" };
    }

    private sealed record Damaged(Guid JobId, int Index, BlobProblem Problem, bool Thumbnail);
}

/// <summary>A file the database names that is not in the store with its bytes; <see cref="Repaired"/> once it is again.</summary>
public sealed record BlobProblem(string What, string Sha256, BlobState State, bool Repaired, string Note);

/// <summary>What a check found: the distinct files it read, and every reference to a missing or damaged one.</summary>
public sealed record BlobCheckReport(int Files, IReadOnlyList<BlobProblem> Problems)
{
    public int Unresolved => Problems.Count(p => !p.Repaired);
}
