using System.Text.Json;
using Aigc.Generation;
using Aigc.Generation.Manifest;
using Aigc.Neural;

namespace Aigc.Cli.Tests;

/// <summary>A folder with a shipped tiny model (models/tiny/v1) and settings pointing the worker at it; returns the settings file.</summary>
internal static class WorkerSetup
{
    /// <remarks>Without <paramref name="dataDirectory"/>, the settings name no data directory (AIGC_DATA or --data decide).</remarks>
    public static string Write(string dir, bool dataDirectory = true)
    {
        var shipped = Directory.CreateDirectory(Path.Combine(dir, "models", "tiny", "v1")).FullName;
        var manifest = CganManifest.Load(Path.Combine(AppContext.BaseDirectory, "fixtures", "tiny_manifest.json"));
        File.WriteAllText(Path.Combine(shipped, "manifest.json"), manifest.ToJson());
        Generator.Create(manifest, new NeuralEngine(new NeuralOptions { Threads = 1 }), 11).SaveWeights(Path.Combine(shipped, "generator.safetensors"));
        var config = Path.Combine(dir, "settings.json");
        var queue = new { ShippedModelsDirectory = Path.Combine(dir, "models"), IdlePollMilliseconds = 20 };
        File.WriteAllText(config, dataDirectory
            ? JsonSerializer.Serialize(new { Platform = new { DataDirectory = Path.Combine(dir, "data") }, Queue = queue })
            : JsonSerializer.Serialize(new { Queue = queue }));
        return config;
    }
}
