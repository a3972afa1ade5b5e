using System.CommandLine;
using System.Text.Json;
using Aigc.Imaging;
using Aigc.Imaging.Metadata;
using Aigc.Imaging.Pipeline;
using Aigc.Platform.Blueprints;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aigc.Cli.Commands;

/// <summary><c>aigc image</c>: post-process files with a preset, inspect their provenance, list and preview presets.</summary>
public static class ImageCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config") { Description = "JSON settings with an \"Imaging\" section (default: ./appsettings.json when present)", Recursive = true };
        return new Command("image", "Post-process images and read their metadata") { config, Process(config), Info(), Presets(config), Preview(config), Vectorize() };
    }

    private static Command Process(Option<FileInfo?> config)
    {
        var preset = new Option<string>("--preset") { Description = "Preset name", DefaultValueFactory = _ => PipelinePresetCatalog.DefaultPresetName };
        var strip = new Option<bool>("--strip-metadata") { Description = "Write no aigc metadata (for exports)" };
        var thumbnail = new Option<FileInfo?>("--thumbnail") { Description = "Where to write the WebP thumbnail, if the preset makes one" };
        var input = new Argument<FileInfo>("IN") { Description = "PNG, JPEG or WebP file" };
        var output = new Argument<FileInfo>("OUT") { Description = "Output file" };
        var command = new Command("process", "Run a preset on an image; aigc metadata in the input is carried over") { preset, strip, thumbnail, input, output };
        command.SetAction(async (parse, ct) => await Guarded(async () =>
        {
            using var services = Services(parse.GetValue(config));
            var pipeline = services.GetRequiredService<PostProcessingPipeline>();
            var bytes = await File.ReadAllBytesAsync(parse.GetValue(input)!.FullName, ct);
            var metadata = parse.GetValue(strip) || ImageFormatSniffer.Detect(bytes) != ImageFormat.Png ? null : BlueprintMetadata.Read(bytes);
            var result = await pipeline.RunAsync(parse.GetValue(preset)!, PipelineSource.FromEncoded(bytes), metadata, ct);
            var target = parse.GetValue(output)!;
            await File.WriteAllBytesAsync(target.FullName, result.Bytes, ct);
            var extension = target.Extension.ToLowerInvariant();
            if (extension != result.Extension && !(extension == ".jpeg" && result.Format == ImageFormat.Jpeg))
                await Console.Error.WriteLineAsync($"warning: the preset writes {result.Format.DisplayName()}, but '{target.Name}' does not end in {result.Extension}");
            Console.WriteLine($"{target.Name}: {result.Format.DisplayName()} {result.Width}×{result.Height}, {result.Bytes.Length:N0} bytes{(metadata is null ? "" : ", with aigc metadata")}");
            if (parse.GetValue(thumbnail) is { } thumb && result.Thumbnail is { } thumbBytes)
                await File.WriteAllBytesAsync(thumb.FullName, thumbBytes, ct);
        }));
        return command;
    }

    private static Command Vectorize()
    {
        var format = new Option<string>("--format") { Description = "svg or dxf (R12), in millimetres at 0.5 mm per pixel", Required = true };
        format.AcceptOnlyFromAmong([.. BlueprintVectors.Formats]);
        var output = new Option<FileInfo>("--out") { Description = "Output file", Required = true };
        var input = new Argument<FileInfo>("IN") { Description = "Blueprint image (white lines on black): PNG, JPEG or WebP" };
        var command = new Command("vectorize", "Trace a blueprint's lines into an SVG or DXF drawing for CAD") { format, output, input };
        command.SetAction(async (parse, ct) => await Guarded(async () =>
        {
            var bytes = await File.ReadAllBytesAsync(parse.GetValue(input)!.FullName, ct);
            var drawing = BlueprintVectors.Vectorize(bytes, parse.GetValue(format)!);
            var target = parse.GetValue(output)!;
            await File.WriteAllBytesAsync(target.FullName, drawing, ct);
            Console.WriteLine($"{target.Name}: {parse.GetValue(format)!.ToUpperInvariant()}, {drawing.Length:N0} bytes");
        }));
        return command;
    }

    private static Command Info()
    {
        var json = new Option<bool>("--json") { Description = "Print one JSON object (format, width, height, bands, metadata)" };
        var file = new Argument<FileInfo>("FILE") { Description = "Image file" };
        var command = new Command("info", "Print an image's format, size and aigc metadata") { json, file };
        command.SetAction(async (parse, ct) => await Guarded(async () =>
        {
            var bytes = await File.ReadAllBytesAsync(parse.GetValue(file)!.FullName, ct);
            using var image = VipsImage.Decode(bytes);
            var format = ImageFormatSniffer.Detect(bytes)!.Value;
            var metadata = format == ImageFormat.Png ? BlueprintMetadata.Read(bytes) : null;
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new
                {
                    format = format.ToString().ToLowerInvariant(), width = image.Width, height = image.Height, bands = image.Bands, metadata,
                }, Indented));
                return;
            }
            Console.WriteLine($"format    {format.DisplayName()}");
            Console.WriteLine($"size      {image.Width}×{image.Height}, {image.Bands} band(s), {bytes.Length:N0} bytes");
            if (metadata is null)
            {
                Console.WriteLine("metadata  none");
                return;
            }
            Console.WriteLine($"drawing   {metadata.DrawingNumber}");
            // NAME@VERSION, as --model takes it: versions carry their own "v" (v2), if any.
            Console.WriteLine($"model     {metadata.ModelName}@{metadata.ModelVersion} (weights sha256 {metadata.WeightsSha256})");
            Console.WriteLine($"seed      {metadata.Seed}");
            Console.WriteLine($"preset    {metadata.Preset}");
            Console.WriteLine($"engine    {metadata.EngineVersion}");
            if (metadata.Recipe is not null)
                Console.WriteLine($"recipe    {metadata.Recipe.Key}");
            if (metadata.CreatedUtc is { } created)
                Console.WriteLine($"created   {created:u}");
            foreach (var (name, value) in metadata.Conditions.OrderBy(c => c.Key, StringComparer.Ordinal))
                Console.WriteLine($"condition {name} = {value}");
        }));
        return command;
    }

    private static Command Presets(Option<FileInfo?> config)
    {
        var command = new Command("presets", "List and validate the configured presets (exit code 1 when any is invalid)");
        command.SetAction(async (parse, ct) => await Guarded(() =>
        {
            using var services = Services(parse.GetValue(config));
            var catalog = services.GetRequiredService<PipelinePresetCatalog>();
            foreach (var name in catalog.Names)
                Console.WriteLine($"{name,-20} {catalog.Get(name).Describe()}");
            return Task.CompletedTask;
        }));
        return command;
    }

    private static Command Preview(Option<FileInfo?> config)
    {
        var preset = new Option<string>("--preset") { Description = "Preset name", Required = true };
        var output = new Argument<FileInfo>("OUT") { Description = "Output file" };
        var command = new Command("preview", "Render a preset on a built-in sample drawing with sample metadata") { preset, output };
        command.SetAction(async (parse, ct) => await Guarded(async () =>
        {
            using var services = Services(parse.GetValue(config));
            var pipeline = services.GetRequiredService<PostProcessingPipeline>();
            var result = await PresetPreview.RunAsync(pipeline, parse.GetValue(preset)!, ct);
            await File.WriteAllBytesAsync(parse.GetValue(output)!.FullName, result.Bytes, ct);
            Console.WriteLine($"{parse.GetValue(output)!.Name}: {result.Format.DisplayName()} {result.Width}×{result.Height}");
        }));
        return command;
    }

    private static ServiceProvider Services(FileInfo? config)
    {
        var configuration = CliConfiguration.Load(config).Build();
        return new ServiceCollection().AddImaging(configuration).BuildServiceProvider();
    }

    /// <summary>Turns the errors a user can cause into one line on stderr and exit code 1.</summary>
    private static async Task<int> Guarded(Func<Task> action)
    {
        try
        {
            await action();
            return 0;
        }
        catch (Exception e) when (e is ImageRejectedException or IOException or UnauthorizedAccessException or KeyNotFoundException or InvalidDataException
            or NetVips.VipsException)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return 1;
        }
        catch (OptionsValidationException e)
        {
            foreach (var failure in e.Failures) await Console.Error.WriteLineAsync($"error: {failure}");
            return 1;
        }
    }
}
