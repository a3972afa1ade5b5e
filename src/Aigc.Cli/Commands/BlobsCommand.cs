using System.CommandLine;
using Aigc.Platform;
using Aigc.Platform.Blobs;
using Aigc.Platform.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aigc.Cli.Commands;

/// <summary>
/// `aigc blobs check [--repair]`: every file the database names, read and hashed, and the files no row names; with
/// --repair, missing or damaged blueprint files are made again from their recipe and unreferenced files older than
/// Blobs:SweepMinAgeHours are removed. Exits 1 while any problem or old unreferenced file is left, so a cron job
/// can alert.
/// </summary>
public static class BlobsCommand
{
    public static Command Create()
    {
        var repair = new Option<bool>("--repair")
        {
            Description = "Make missing or damaged blueprint images and thumbnails again (byte for byte, or not at all); "
                + "remove old unreferenced files.",
        };
        var data = new Option<DirectoryInfo?>("--data") { Description = "Data directory (overrides Platform:DataDirectory)." };
        var config = new Option<FileInfo?>("--config") { Description = "Settings JSON (default: appsettings.json in the working directory, if present)." };
        var check = new Command("check", "Check every stored file against its hash; --repair makes blueprint files again.") { repair, data, config };
        check.SetAction(async (parse, ct) =>
        {
            try
            {
                await using var services = InProcessWorker.Services(parse.GetValue(config), parse.GetValue(data));
                var directory = services.GetRequiredService<IOptions<PlatformOptions>>().Value.DataDirectoryFullPath;
                if (!Directory.Exists(directory))
                    throw new IOException($"The data directory {directory} does not exist.");
                await using (var scope = services.CreateAsyncScope())
                    await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(ct);

                var report = await services.GetRequiredService<BlobCheck>().RunAsync(parse.GetValue(repair), ct);
                foreach (var problem in report.Problems)
                    Console.WriteLine($"{(problem.Repaired ? "repaired" : problem.State.ToString().ToLowerInvariant()),-8}  {problem.What}  {problem.Sha256[..12]}  {problem.Note}");
                var repaired = report.Problems.Count - report.Unresolved;
                Console.WriteLine($"{Count(report.Files, "file")} checked: {Count(report.Problems.Count, "problem")}, {repaired} repaired, {report.Unresolved} left.");
                var sweep = await services.GetRequiredService<BlobSweep>().RunAsync(parse.GetValue(repair), ct);
                Report(sweep, directory);
                return report.Unresolved == 0 && sweep.OldLeft == 0 ? 0 : 1;
            }
            catch (Exception e) when (e is IOException or OptionsValidationException)
            {
                Console.Error.WriteLine($"aigc blobs check: {e.Message}");
                return 2;
            }
        });
        return new Command("blobs", "The blob store: files of images, thumbnails, ads and logos.") { check };
    }

    /// <summary>Files no row names: old ones are removed with --repair (else the check fails); young ones stay.</summary>
    private static void Report(BlobSweepReport sweep, string directory)
    {
        if (sweep.Files.Count == 0)
            return;
        var age = $"{sweep.MinAge.TotalHours:0} h";
        foreach (var file in sweep.Files)
        {
            var name = file.File.Sha256?[..12] ?? Path.GetRelativePath(directory, file.File.Path);
            var what = file.File.Sha256 is null ? "leftover of a failed write" : "blob no row names";
            var note = file.Removed ? "removed"
                : file.Old ? $"older than {age}: --repair removes it"
                : $"younger than {age}: kept";
            Console.WriteLine($"{"unused",-8}  {what}  {name}  {note}");
        }

        Console.WriteLine($"{Count(sweep.Files.Count, "unreferenced file")}: "
            + $"{sweep.Removed} removed ({sweep.RemovedBytes} bytes), {sweep.OldLeft} old left, "
            + $"{sweep.Files.Count(f => !f.Old)} younger than {age} kept.");
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
