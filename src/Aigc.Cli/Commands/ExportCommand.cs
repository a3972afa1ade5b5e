using System.CommandLine;
using Aigc.Generation.Inference.Onnx;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Aigc.Platform.Models;
using Aigc.Platform.Queue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aigc.Cli.Commands;

/// <summary>
/// `aigc export onnx`: a registered model version's generator as an ONNX model (opset 17; conditions in, image out),
/// for ONNX Runtime on any host or another tool (decision 0017). The weights are loaded and checked as the worker
/// loads them; the file appears only once it is complete.
/// </summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model")
        {
            Description = "NAME (its active version), NAME@VERSION or a weights SHA-256.",
            Required = true,
        };
        var output = new Option<FileInfo?>("--out")
        {
            Description = "The ONNX file to write (default: NAME-VERSION.onnx in the working directory).",
        };
        var data = new Option<DirectoryInfo?>("--data")
        {
            Description = "Data directory (overrides Platform:DataDirectory).",
        };
        var config = new Option<FileInfo?>("--config")
        {
            Description = "Settings JSON (default: appsettings.json in the working directory, if present).",
        };
        var onnx = new Command("onnx", "Write a model version's generator as an ONNX model (opset 17).")
        {
            model, output, data, config,
        };
        onnx.SetAction(async (parse, ct) =>
        {
            try
            {
                await using var services = InProcessWorker.Services(parse.GetValue(config), parse.GetValue(data));
                var path = await ExportAsync(services, parse.GetValue(model)!, parse.GetValue(output)?.FullName, ct);
                Console.WriteLine(path);
                return 0;
            }
            catch (Exception e) when (e is ModelRejectedException or IOException or UnauthorizedAccessException
                                           or OptionsValidationException)
            {
                Console.Error.WriteLine($"aigc export onnx: {e.Message}");
                return 1;
            }
        });
        return new Command("export", "Export a model version for other runtimes.") { onnx };
    }

    private static async Task<string> ExportAsync(ServiceProvider services, string reference, string? output,
        CancellationToken cancellationToken)
    {
        ModelVersion version;
        await using (var scope = services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(cancellationToken);
            var registry = scope.ServiceProvider.GetRequiredService<ModelRegistry>();
            var shipped = services.GetRequiredService<IOptions<QueueOptions>>().Value.ShippedModelsDirectory;
            await registry.RegisterShippedAsync(shipped, cancellationToken);
            version = await registry.ResolveForUseAsync(reference, [PortalRoles.Admin], cancellationToken);
        }

        var generator = await services.GetRequiredService<LoadedModels>()
            .GetAsync(version.WeightsSha256, cancellationToken);
        var bytes = generator.ExportOnnx();
        var path = Path.GetFullPath(output ?? $"{version.Name}-{version.Version}.onnx");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.partial";
        try
        {
            await File.WriteAllBytesAsync(temporary, bytes, cancellationToken);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }

        var schema = generator.Manifest.Schema;
        var inputs = schema.Categorical.Select(c => GeneratorOnnxExport.ConditionInput(c.Name))
            .Prepend(GeneratorOnnxExport.LatentInput)
            .Concat(schema.Numeric.Count > 0 ? [GeneratorOnnxExport.NumericInput] : []);
        Console.Error.WriteLine($"{version.Name}@{version.Version}: {bytes.Length:N0} bytes, "
            + $"opset {GeneratorOnnxExport.Opset}, "
            + $"inputs {string.Join(", ", inputs)}; output {GeneratorOnnxExport.ImageOutput}");
        return path;
    }
}
