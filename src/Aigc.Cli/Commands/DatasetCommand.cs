using System.CommandLine;
using Aigc.Generation.Datasets;
using Aigc.Imaging;

namespace Aigc.Cli.Commands;

/// <summary><c>aigc dataset</c>: synthesize blueprint drawings, import a team's own, and render contact sheets.</summary>
public static class DatasetCommand
{
    public static Command Create() => new("dataset", "Make and inspect blueprint training datasets") { Synth(), Import(), Sheet() };

    private static Command Synth()
    {
        var perClass = new Option<int>("--per-class") { Description = "Images per part class", Required = true };
        var size = new Option<int>("--size") { Description = "Image size in pixels (64 or 128)", DefaultValueFactory = _ => 64 };
        var seed = new Option<ulong>("--seed") { Description = "Seed: the same seed gives the same images", DefaultValueFactory = _ => 1 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Dataset folder to create", Required = true };
        var command = new Command("synth", "Draw procedural blueprints of mechanical parts") { perClass, size, seed, output };
        command.SetAction((parse, ct) => Guarded("dataset synth", () =>
        {
            var total = parse.GetValue(perClass) * (long)BlueprintConditions.Parts.Count;
            var bar = new ProgressLine("synth", total);
            var info = BlueprintSynthesizer.Write(parse.GetValue(output)!.FullName, parse.GetValue(perClass), parse.GetValue(size),
                parse.GetValue(seed), bar, ct);
            Console.WriteLine($"{info.Count} images of {info.ImageSize}×{info.ImageSize} in {parse.GetValue(output)!.FullName} ({bar.Elapsed.TotalSeconds:F1} s)");
        }));
        return command;
    }

    private static Command Import()
    {
        var images = new Option<DirectoryInfo>("--images") { Description = "Folder of the team's drawings (PNG, JPEG or WebP)", Required = true };
        var labels = new Option<FileInfo>("--labels") { Description = "CSV with header file,part,view,complexity (file relative to --images)", Required = true };
        var size = new Option<int>("--size") { Description = "Output size in pixels", DefaultValueFactory = _ => 64 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Dataset folder to create", Required = true };
        var command = new Command("import", "Validate, resize and crop a team's drawings into a dataset") { images, labels, size, output };
        command.SetAction((parse, ct) =>
        {
            var report = DatasetImporter.Import(parse.GetValue(images)!.FullName, parse.GetValue(labels)!.FullName,
                parse.GetValue(output)!.FullName, parse.GetValue(size), ct);
            foreach (var problem in report.Problems)
                Console.Error.WriteLine(problem);
            if (!report.Succeeded)
            {
                Console.Error.WriteLine($"aigc dataset import: {report.Problems.Count} problem(s); nothing was written.");
                return Task.FromResult(1);
            }

            Console.WriteLine($"{report.Imported} images imported into {parse.GetValue(output)!.FullName}" +
                              (report.Inverted > 0 ? $" ({report.Inverted} dark-on-light drawings inverted to white on black)" : ""));
            return Task.FromResult(0);
        });
        return command;
    }

    private static Command Sheet()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Dataset folder", Required = true };
        var columns = new Option<int>("--columns") { Description = "Images per row", DefaultValueFactory = _ => 12 };
        var zoom = new Option<int>("--zoom") { Description = "Enlargement factor", DefaultValueFactory = _ => 2 };
        var output = new Option<FileInfo>("--out") { Description = "PNG to write: one row per part class and view", Required = true };
        var command = new Command("sheet", "Contact sheet of a dataset: one row per part class and view") { data, columns, zoom, output };
        command.SetAction((parse, ct) => Guarded("dataset sheet", () =>
        {
            var dir = parse.GetValue(data)!.FullName;
            var info = DatasetFolder.ReadInfo(dir);
            var rows = DatasetFolder.ReadLabels(dir)
                .GroupBy(e => (e.Label.Part, e.Label.View))
                .Select(g => (IReadOnlyList<byte[]>)g.Take(parse.GetValue(columns)).Select(e => Pixels(Path.Combine(dir, e.File))).ToList())
                .ToList();
            File.WriteAllBytes(parse.GetValue(output)!.FullName, ImageGrid.EncodePng(rows, info.ImageSize, parse.GetValue(zoom)));
        }));
        return command;
    }

    private static byte[] Pixels(string path)
    {
        using var image = VipsImage.Decode(File.ReadAllBytes(path));
        using var grey = image.ToGreyscale();
        return grey.ToPixels();
    }

    internal static Task<int> Guarded(string command, Action action) => Guarded(command, () =>
    {
        action();
        return 0;
    });

    /// <summary>Runs a command body, turning expected failures into one stderr line and exit code 1.</summary>
    internal static Task<int> Guarded(string command, Func<int> action)
    {
        try
        {
            return Task.FromResult(action());
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException or InvalidOperationException
                                      or Generation.Manifest.ManifestException or NetVips.VipsException or ImageRejectedException)
        {
            Console.Error.WriteLine($"aigc {command}: {e.Message}");
            return Task.FromResult(1);
        }
    }
}
