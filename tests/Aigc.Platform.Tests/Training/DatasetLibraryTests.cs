using Aigc.Generation.Datasets;
using Aigc.Platform.Blobs;
using Aigc.Platform.Training;
using Microsoft.EntityFrameworkCore;
using Xunit;

namespace Aigc.Platform.Tests.Training;

public sealed class DatasetLibraryTests
{
    [Fact]
    public async Task An_accepted_zip_is_previewed_then_stored_as_a_hash_named_version()
    {
        using var temp = new TempFolder();
        await using var host = await ServiceHost.StartAsync(temp.Sub("data"));
        var library = host.Get<DatasetLibrary>();
        var drawings = DatasetZips.Drawings();
        var zip = DatasetZips.Write(temp.Path, drawings);

        var analysis = await library.AnalyseAsync(DatasetZips.Trainer, zip);
        Assert.True(analysis.Accepted, string.Join("; ", analysis.Problems));
        Assert.Equal(16, analysis.Drawings);
        Assert.Equal(drawings.Count(d => d.Name.EndsWith("00.png") || d.Name.EndsWith("03.png") || d.Name.EndsWith("06.png")), analysis.ToInvert);
        Assert.NotNull(analysis.PreviewPng);
        Assert.Equal(16, analysis.Counts.Sum(c => c.Count));
        await using (var db = host.OpenDatabase())
            Assert.Equal(0, await db.Datasets.CountAsync());

        var result = await library.ImportAsync(DatasetZips.Trainer, "Acme gears", zip, "acme.zip");
        var version = Assert.IsType<Data.DatasetVersion>(result.Version);
        Assert.Equal(16, version.ImageCount);
        Assert.Equal(analysis.ToInvert, version.InvertedCount);
        var blobs = host.Get<BlobStore>();
        Assert.True(blobs.Exists(version.ContactSheetSha256));
        await using (var db = host.OpenDatabase())
        {
            var images = await db.DatasetImages.Where(i => i.VersionId == version.Id).ToListAsync();
            Assert.Equal(16, images.Count);
            Assert.All(images, i => Assert.Equal(BlobStore.HashOf(File.ReadAllBytes(blobs.PathOf(i.Sha256))), i.Sha256));
            Assert.Equal(8, images.Count(i => i.Part == "spur_gear"));
            Assert.Contains(await db.AuditEntries.ToListAsync(), e => e.Action == "dataset.import" && e.ActorName == "trainer@example.com");
        }

        // The version's hash is the hash training records of the folder it reads.
        var folder = Path.Combine(temp.Path, "materialised");
        Assert.Equal(version.DataHash, await library.MaterialiseAsync(version.Id, folder));
        Assert.Equal(version.DataHash, DatasetFolder.Hash(folder));
        var dataset = BlueprintDataset.Load(folder);
        Assert.Equal(16, dataset.Count);
        // Every drawing is white lines on black after preprocessing, the inverted ones included.
        Assert.All(Enumerable.Range(0, dataset.Count), n => Assert.True(dataset.Pixels.AsSpan(n * 4096, 4096).ToArray().Average() < 0));

        var details = await library.FindAsync(DatasetZips.Admin, version.DatasetId);
        Assert.Equal("Acme gears", details!.Name);
        Assert.Equal(16, details.Versions.Single().Counts.Sum(c => c.Count));
        var second = await library.ImportAsync(DatasetZips.Trainer, "Acme gears", zip, "acme.zip");
        Assert.Equal(2, second.Version!.Number);
        Assert.Equal(version.DataHash, second.Version.DataHash);
    }

    [Fact]
    public async Task Folders_named_by_condition_values_label_the_drawings()
    {
        using var temp = new TempFolder();
        await using var host = await ServiceHost.StartAsync(temp.Sub("data"));
        var drawings = DatasetZips.Drawings();
        var zip = DatasetZips.WriteFiles(temp.Path, drawings.Select(d =>
            ($"export/{d.Label.Part}/{d.Label.View}/{d.Label.Complexity}/{Path.GetFileName(d.Name)}", d.Png)));

        var analysis = await host.Get<DatasetLibrary>().AnalyseAsync(DatasetZips.Trainer, zip);

        Assert.True(analysis.Accepted, string.Join("; ", analysis.Problems));
        Assert.Equal(drawings.GroupBy(d => d.Label).Select(g => (g.Key.Part, g.Key.View, g.Key.Complexity, g.Count())).Order(),
            analysis.Counts.Select(c => (c.Part, c.View, c.Complexity, c.Count)).Order());
    }

    public static TheoryData<string> Hostile => new()
    {
        "bomb", "traversal", "truncated", "many", "labels", "duplicate", "few", "notzip", "unlabelled",
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task A_hostile_or_wrong_dataset_is_refused_with_a_report_and_nothing_stored(string kind)
    {
        using var temp = new TempFolder();
        await using var host = await ServiceHost.StartAsync(temp.Sub("data"));
        var drawings = DatasetZips.Drawings();
        var (zip, expected) = kind switch
        {
            // 20 MB of zeros deflate to a few kilobytes: a ratio no drawing has.
            "bomb" => (DatasetZips.Write(temp.Path, drawings, null, ("drawings/zeros.png", new byte[20 << 20])), DatasetProblemKind.CompressionRatio),
            "traversal" => (DatasetZips.Write(temp.Path, drawings, null, ("../../etc/evil.png", drawings[0].Png), ("/abs.png", drawings[1].Png),
                ("C:\\windows\\x.png", drawings[2].Png)), DatasetProblemKind.UnsafeName),
            "truncated" => (DatasetZips.Write(temp.Path, drawings.Select((d, i) => i == 3 ? d with { Png = d.Png[..(d.Png.Length / 2)] } : d)),
                DatasetProblemKind.UnreadableImage),
            // 10^5 tiny files.
            "many" => (DatasetZips.WriteFiles(temp.Path, Enumerable.Range(0, 100_000).Select(i => ($"f/{i}.png", new byte[1]))),
                DatasetProblemKind.TooManyFiles),
            "labels" => (DatasetZips.Write(temp.Path, drawings, DatasetZips.LabelsCsv(drawings).Replace(",flange,", ",flang,")),
                DatasetProblemKind.UnknownLabel),
            "duplicate" => (DatasetZips.Write(temp.Path, drawings, DatasetZips.LabelsCsv(drawings.Append(drawings[0] with { Name = "copy.png" })),
                ("copy.png", drawings[0].Png)), DatasetProblemKind.DuplicateImage),
            "few" => (DatasetZips.Write(temp.Path, drawings.Where((d, i) => i < 12)), DatasetProblemKind.TooFewImages),
            "notzip" => (WriteBytes(temp.Path, drawings[0].Png), DatasetProblemKind.NotAZip),
            "unlabelled" => (DatasetZips.Write(temp.Path, drawings, DatasetZips.LabelsCsv(drawings.Skip(1))), DatasetProblemKind.UnlabelledImage),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        var library = host.Get<DatasetLibrary>();

        var analysis = await library.AnalyseAsync(DatasetZips.Trainer, zip);
        var result = await library.ImportAsync(DatasetZips.Trainer, "hostile", zip, "hostile.zip");

        Assert.False(analysis.Accepted);
        Assert.Contains(analysis.Problems, p => p.Kind == expected && p.Detail.Length > 0);
        Assert.Null(result.Version);
        // libvips' error text is best effort (one process-wide buffer): the same problems, not the same words.
        Assert.Equal(analysis.Problems.Select(p => (p.Kind, p.Entry)), result.Problems.Select(p => (p.Kind, p.Entry)));
        await using var db = host.OpenDatabase();
        Assert.Equal(0, await db.Datasets.CountAsync());
        Assert.Empty(host.Get<BlobStore>().List());
        Assert.False(File.Exists(Path.Combine(temp.Path, "etc", "evil.png")));
    }

    [Fact]
    public async Task The_total_unpacked_size_is_checked_before_anything_is_inflated()
    {
        using var temp = new TempFolder();
        await using var host = await ServiceHost.StartAsync(temp.Sub("data"), new() { ["Training:MaxUnpackedMegabytes"] = "1" });
        var noise = new byte[3 << 20];
        new Random(3).NextBytes(noise);
        var zip = DatasetZips.Write(temp.Path, DatasetZips.Drawings(), null, ("drawings/noise.png", noise));

        var analysis = await host.Get<DatasetLibrary>().AnalyseAsync(DatasetZips.Trainer, zip);

        Assert.Equal(DatasetProblemKind.TooMuchData, Assert.Single(analysis.Problems).Kind);
    }

    [Fact]
    public async Task An_upload_over_the_limit_is_refused_while_it_streams_and_leaves_no_file()
    {
        using var temp = new TempFolder();
        await using var host = await ServiceHost.StartAsync(temp.Sub("data"), new() { ["Training:MaxUploadMegabytes"] = "1" });
        var library = host.Get<DatasetLibrary>();

        var staged = await library.StageAsync(DatasetZips.Trainer, new MemoryStream(new byte[(1 << 20) + 1]));
        var small = await library.StageAsync(DatasetZips.Trainer, new MemoryStream(new byte[100]));

        Assert.Null(staged);
        Assert.Equal([small!], Directory.GetFiles(Path.Combine(host.DataDirectory, "uploads", "datasets")));
        DatasetLibrary.Discard(small);
        Assert.Empty(Directory.GetFiles(Path.Combine(host.DataDirectory, "uploads", "datasets")));
    }

    [Fact]
    public async Task Deleting_a_dataset_removes_its_rows_and_the_files_nothing_else_names()
    {
        using var temp = new TempFolder();
        await using var host = await ServiceHost.StartAsync(temp.Sub("data"));
        var library = host.Get<DatasetLibrary>();
        var drawings = DatasetZips.Drawings();
        var kept = (await library.ImportAsync(DatasetZips.Trainer, "kept", DatasetZips.Write(temp.Path, drawings), "a.zip")).Version!;
        var gone = (await library.ImportAsync(DatasetZips.Admin, "gone", DatasetZips.Write(temp.Path, DatasetZips.Drawings(seed: 9)), "b.zip")).Version!;
        var blobs = host.Get<BlobStore>();
        var before = blobs.List().Count();

        Assert.True(await library.DeleteAsync(DatasetZips.Trainer, gone.DatasetId));
        Assert.False(await library.DeleteAsync(DatasetZips.Trainer, gone.DatasetId));

        await using var db = host.OpenDatabase();
        Assert.Equal(["kept"], await db.Datasets.Select(d => d.Name).ToListAsync());
        Assert.Equal(0, await db.DatasetImages.CountAsync(i => i.VersionId == gone.Id));
        Assert.Equal(17, blobs.List().Count());
        Assert.True(before > 17);
        Assert.All(await db.DatasetImages.Select(i => i.Sha256).ToListAsync(), sha => Assert.True(blobs.Exists(sha)));
        Assert.True(blobs.Exists(kept.ContactSheetSha256));
        Assert.Contains(await db.AuditEntries.ToListAsync(), e => e.Action == "dataset.delete" && e.TargetName == "gone");
    }

    [Fact]
    public async Task Only_admins_and_trainers_reach_datasets()
    {
        using var temp = new TempFolder();
        await using var host = await ServiceHost.StartAsync(temp.Sub("data"));
        var library = host.Get<DatasetLibrary>();
        var zip = DatasetZips.Write(temp.Path, DatasetZips.Drawings());
        var designer = DatasetZips.Designer;

        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => library.AnalyseAsync(designer, zip));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => library.ImportAsync(designer, "x", zip, "x.zip"));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => library.ListAsync(designer));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => library.FindAsync(designer, Guid.NewGuid()));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => library.DeleteAsync(designer, Guid.NewGuid()));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => library.ContactSheetAsync(designer, Guid.NewGuid()));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => library.StageAsync(designer, new MemoryStream([1])));
        Assert.Empty(await library.ListAsync(DatasetZips.Admin));
    }

    private static string WriteBytes(string folder, byte[] bytes)
    {
        var path = Path.Combine(folder, "not-a.zip");
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
