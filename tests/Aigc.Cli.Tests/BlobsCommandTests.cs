using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Aigc.Cli.Commands;
using Microsoft.Data.Sqlite;

namespace Aigc.Cli.Tests;

/// <summary>`aigc blobs check`: images made by `aigc generate`, then lost or damaged on disk, found and made again.</summary>
[Collection("Console")]
public sealed class BlobsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aigc-blobs-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_lost_image_and_a_damaged_thumbnail_are_reported_then_made_again_byte_for_byte()
    {
        var config = WorkerSetup.Write(_dir);
        var settings = JsonNode.Parse(File.ReadAllText(config))!;
        settings["Imaging"] = JsonNode.Parse("""
            {"Presets": {"thumbs": [{"step": "upscale", "size": "64"}, {"step": "thumbnail", "size": "32"}, {"step": "encode", "format": "png"}]}}
            """);
        File.WriteAllText(config, settings.ToJsonString());
        Assert.Equal(0, await Root().Parse(["generate", "--model", "tiny-parity", "--set", "part=gear", "--set", "view=iso", "--set", "complexity=2",
            "--count", "2", "--seed", "5", "--preset", "thumbs", "--out", Path.Combine(_dir, "out"), "--config", config]).InvokeAsync());
        var files = Directory.EnumerateFiles(Path.Combine(_dir, "data", "blobs"), "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetFileName(f).StartsWith('.')).Order().ToList();
        Assert.Equal(4, files.Count);
        var original = files.ToDictionary(f => f, File.ReadAllBytes);
        var image = files.First(f => original[f].AsSpan(1, 3).SequenceEqual("PNG"u8));
        var thumbnail = files.First(f => original[f].AsSpan(0, 4).SequenceEqual("RIFF"u8));
        File.Delete(image);
        File.WriteAllBytes(thumbnail, [1, 2, 3]);

        var (checkCode, checkOutput) = await RunAsync("blobs", "check", "--config", config);
        Assert.Equal(1, checkCode);
        Assert.Contains($"missing   blueprint ", checkOutput);
        Assert.Contains($"{Path.GetFileName(image)[..12]}  can be made again", checkOutput);
        Assert.Contains($"corrupt   blueprint ", checkOutput);
        Assert.Contains("4 files checked: 2 problems, 0 repaired, 2 left.", checkOutput);
        Assert.False(File.Exists(image));
        Assert.Equal([1, 2, 3], File.ReadAllBytes(thumbnail));

        var (repairCode, repairOutput) = await RunAsync("blobs", "check", "--repair", "--config", config);
        Assert.Equal(0, repairCode);
        Assert.Contains("4 files checked: 2 problems, 2 repaired, 0 left.", repairOutput);
        foreach (var file in files)
            Assert.Equal(original[file], File.ReadAllBytes(file));

        Assert.Equal((0, "4 files checked: 0 problems, 0 repaired, 0 left."), (await RunAsync("blobs", "check", "--config", config)) is var (code, output) ? (code, output.Trim()) : default);
    }

    [Fact]
    public async Task An_image_that_comes_out_as_other_bytes_is_not_stored_under_the_lost_ones_name()
    {
        var config = WorkerSetup.Write(_dir);
        Assert.Equal(0, await Root().Parse(["generate", "--model", "tiny-parity", "--set", "part=gear", "--set", "view=iso", "--set", "complexity=2",
            "--count", "1", "--seed", "5", "--out", Path.Combine(_dir, "out"), "--config", config]).InvokeAsync());
        var image = Directory.EnumerateFiles(Path.Combine(_dir, "data", "blobs"), "*", SearchOption.AllDirectories).Single();
        File.Delete(image);
        // A recipe that no longer makes that image: as if the engine had changed since.
        await using (var db = new SqliteConnection($"Data Source={Path.Combine(_dir, "data", "aigc.db")};Pooling=False"))
        {
            await db.OpenAsync();
            await using var command = db.CreateCommand();
            command.CommandText = "UPDATE GenerationJobs SET Seed = Seed + 1000";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        var (code, output) = await RunAsync("blobs", "check", "--repair", "--config", config);
        Assert.Equal(1, code);
        Assert.Contains("made again from its recipe, but as other bytes", output);
        Assert.Contains("(ONNX Runtime 1.32.0 · Onnx here; an image made on another Inference:Device repairs only there)",
            output);
        Assert.Contains("1 file checked: 1 problem, 0 repaired, 1 left.", output);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_dir, "data", "blobs"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_shipped_versions_lost_sample_grid_is_taken_back_from_its_folder()
    {
        var config = WorkerSetup.Write(_dir);
        // The sample grid is only sniffed (PNG signature) when a version is registered.
        byte[] grid = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4];
        File.WriteAllBytes(Path.Combine(_dir, "models", "tiny", "v1", "samples.png"), grid);
        Assert.Equal(0, await Root().Parse(["generate", "--model", "tiny-parity", "--set", "part=gear", "--set", "view=iso", "--set", "complexity=2",
            "--count", "1", "--seed", "5", "--out", Path.Combine(_dir, "out"), "--config", config]).InvokeAsync());
        var sha = Convert.ToHexStringLower(SHA256.HashData(grid));
        var stored = Path.Combine(_dir, "data", "blobs", sha[..2], sha[2..4], sha);
        Assert.Equal(grid, File.ReadAllBytes(stored));
        File.Delete(stored);

        var (checkCode, checkOutput) = await RunAsync("blobs", "check", "--config", config);
        Assert.Equal(1, checkCode);
        Assert.Contains($"missing   model tiny-parity@v1 sample grid  {sha[..12]}  is in the shipped model folder", checkOutput);

        var (repairCode, repairOutput) = await RunAsync("blobs", "check", "--repair", "--config", config);
        Assert.Equal(0, repairCode);
        Assert.Contains($"repaired  model tiny-parity@v1 sample grid  {sha[..12]}  taken from the shipped model folder, byte for byte", repairOutput);
        Assert.Equal(grid, File.ReadAllBytes(stored));
    }

    [Fact]
    public async Task Files_no_row_names_are_reported_and_repair_removes_the_old_ones_only()
    {
        var config = WorkerSetup.Write(_dir);
        Assert.Equal(0, await Root().Parse(["generate", "--model", "tiny-parity", "--set", "part=gear", "--set", "view=iso", "--set", "complexity=2",
            "--count", "1", "--seed", "5", "--out", Path.Combine(_dir, "out"), "--config", config]).InvokeAsync());
        var blobs = Path.Combine(_dir, "data", "blobs");
        var named = Directory.EnumerateFiles(blobs, "*", SearchOption.AllDirectories).Single();
        // What a killed worker leaves: a blob whose row was never committed, and a half-written temporary file.
        var orphan = Orphan(blobs, [7, 7, 7]);
        var leftover = Path.Combine(Path.GetDirectoryName(orphan)!, $".{Path.GetFileName(orphan)}.0123.tmp");
        File.WriteAllBytes(leftover, [7]);
        var young = Orphan(blobs, [8, 8, 8]);
        foreach (var file in new[] { named, orphan, leftover })
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddDays(-2));

        var (checkCode, checkOutput) = await RunAsync("blobs", "check", "--config", config);
        Assert.Equal(1, checkCode);
        Assert.Contains($"unused    blob no row names  {Path.GetFileName(orphan)[..12]}  older than 24 h: --repair removes it", checkOutput);
        Assert.Contains($"unused    leftover of a failed write  {Path.GetRelativePath(Path.Combine(_dir, "data"), leftover)}  older than 24 h", checkOutput);
        Assert.Contains($"unused    blob no row names  {Path.GetFileName(young)[..12]}  younger than 24 h: kept", checkOutput);
        Assert.Contains("3 unreferenced files: 0 removed (0 bytes), 2 old left, 1 younger than 24 h kept.", checkOutput);
        Assert.True(File.Exists(orphan) && File.Exists(leftover));

        var (repairCode, repairOutput) = await RunAsync("blobs", "check", "--repair", "--config", config);
        Assert.Equal(0, repairCode);
        Assert.Contains("3 unreferenced files: 2 removed (4 bytes), 0 old left, 1 younger than 24 h kept.", repairOutput);
        Assert.False(File.Exists(orphan) || File.Exists(leftover));
        Assert.True(File.Exists(named) && File.Exists(young));
        Assert.Equal(0, (await RunAsync("blobs", "check", "--config", config)).Code);
    }

    private static string Orphan(string blobs, byte[] bytes)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var path = Path.Combine(blobs, sha[..2], sha[2..4], sha);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Fact]
    public async Task A_data_directory_that_does_not_exist_is_an_error_and_is_not_created()
    {
        var missing = Path.Combine(_dir, "no-such-data");
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        try
        {
            Assert.Equal(2, await Root().Parse(["blobs", "check", "--data", missing]).InvokeAsync());
        }
        finally
        {
            Console.SetError(original);
        }

        Assert.Contains($"The data directory {missing} does not exist.", error.ToString());
        Assert.False(Directory.Exists(missing));
    }

    private static RootCommand Root() => new("aigc") { GenerateCommand.Create(), BlobsCommand.Create() };

    private static async Task<(int Code, string Output)> RunAsync(params string[] args)
    {
        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(output);
        try
        {
            return (await Root().Parse(args).InvokeAsync(), output.ToString());
        }
        finally
        {
            Console.SetOut(original);
        }
    }
}
