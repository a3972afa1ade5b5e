using System.Collections.Concurrent;
using Aigc.Generation.Upscaling;
using Aigc.Imaging.Pipeline;
using Aigc.Neural;
using Microsoft.Extensions.Logging;

namespace Aigc.Platform.Models;

/// <summary>
/// A shipped upscaler version as admins see it: identified by its weights' SHA-256, like a generator, with its
/// held-out line F1 on degraded and on clean drawings (null when its manifest has no metrics).
/// </summary>
public sealed record ShippedUpscaler(string Name, string Folder, int InputSize, int OutputSize, string WeightsSha256,
    double? DegradedF1, double? CleanF1);

/// <summary>
/// The learned line upscalers shipped under models/upscalers (every folder holding manifest.json and
/// upscaler.safetensors), behind the pipeline's "learned" upscale kernel. Each loaded copy has its own one-thread
/// engine and is used by one pipeline run at a time; copies are made as concurrent runs need them.
/// </summary>
public sealed class ShippedUpscalers : ILineUpscaler
{
    private readonly BlasProvider _blas;
    private readonly ConcurrentDictionary<string, ConcurrentBag<LineUpscaler>> _idle = new(StringComparer.Ordinal);

    public ShippedUpscalers(string root, BlasProvider blas, ILogger<ShippedUpscalers>? logger = null)
    {
        _blas = blas;
        var versions = new List<ShippedUpscaler>();
        if (Directory.Exists(root))
        {
            foreach (var folder in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
            {
                var weights = Path.Combine(folder, UpscalerTrainingRun.WeightsFile);
                var manifestPath = Path.Combine(folder, ModelFiles.ManifestFileName);
                if (!File.Exists(weights) || !File.Exists(manifestPath))
                    continue;
                var manifest = UpscalerManifest.Load(manifestPath);
                var sha = ModelFiles.HashAsync(weights, CancellationToken.None).GetAwaiter().GetResult();
                versions.Add(new ShippedUpscaler(manifest.Name, folder, manifest.InputSize, manifest.OutputSize, sha,
                    manifest.Metrics?.Degraded.F1, manifest.Metrics?.Clean.F1));
                logger?.LogInformation("Upscaler {Name} ({Input} → {Output} px) from {Folder}, weights {Sha}",
                    manifest.Name, manifest.InputSize, manifest.OutputSize, folder, sha[..12]);
            }
        }

        Versions = versions;
    }

    public IReadOnlyList<ShippedUpscaler> Versions { get; }

    public byte[]? Upscale(ReadOnlySpan<byte> grey, int size, int outputSize)
    {
        var version = Versions.FirstOrDefault(v => v.InputSize == size && v.OutputSize == outputSize);
        if (version is null)
            return null;
        var idle = _idle.GetOrAdd(version.Folder, _ => []);
        if (!idle.TryTake(out var upscaler))
            upscaler = LineUpscaler.Load(new NeuralEngine(new NeuralOptions { Threads = 1, BlasProvider = _blas }), version.Folder);
        try
        {
            return upscaler.Upscale([grey.ToArray()])[0];
        }
        finally
        {
            idle.Add(upscaler);
        }
    }
}
