using Aigc.Generation.Inference.Onnx;
using Aigc.Generation.Manifest;
using Aigc.Generation.Networks;
using Aigc.Neural;
using Aigc.Neural.Safetensors;

namespace Aigc.Generation;

/// <summary>
/// A loaded generator for inference, safe to share between threads: each call takes the engine's compute lease
/// (so concurrent batches run one after another, each with all configured threads) and runs in eval mode.
/// Large requests run in chunks of <see cref="MaxBatch"/>; cancellation is checked between layers and chunks. Its
/// network's weights change only through <see cref="LoadWeights"/>; the first generation after it prepares them for
/// inference again (not at creation: a generator is usually created only to be loaded).
/// </summary>
public sealed class Generator
{
    private readonly NeuralEngine _engine;
    private readonly Tensor _latent = new(0, 0);
    private int _maxBatch = 64;
    private bool _prepared;

    private Generator(CganManifest manifest, NeuralEngine engine, ulong initSeed)
    {
        _engine = engine;
        Manifest = manifest;
        Network = new GeneratorNetwork(manifest, engine.CreateBackend(), new RandomSource(initSeed));
        Network.Eval();
    }

    public CganManifest Manifest { get; }

    public GeneratorNetwork Network { get; }

    public int MaxBatch
    {
        get => _maxBatch;
        set => _maxBatch = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(value), "MaxBatch must be at least 1.");
    }

    /// <summary>Values per image: channels × size × size.</summary>
    public int ImageLength => Manifest.Channels * Manifest.ImageSize * Manifest.ImageSize;

    public static Generator Create(CganManifest manifest, NeuralEngine engine, ulong initSeed = 0) => new(manifest, engine, initSeed);

    /// <summary>Counts weight loads, so that a device holding a copy of the weights (ONNX) knows it is stale.</summary>
    public long WeightsVersion { get; private set; }

    /// <summary>Strictly loads a generator state_dict (PyTorch names) from safetensors.</summary>
    public void LoadWeights(string path)
    {
        using var lease = _engine.Acquire();
        _prepared = false;
        WeightsVersion++;
        StateDictFile.Load(Network, path, _engine.MaxSafetensorsHeaderBytes);
    }

    /// <summary>The network with its current weights as an ONNX model (<see cref="GeneratorOnnxExport"/>).</summary>
    public byte[] ExportOnnx()
    {
        using var lease = _engine.Acquire();
        return GeneratorOnnxExport.Write(Network);
    }

    public void SaveWeights(string path)
    {
        using var lease = _engine.Acquire();
        StateDictFile.Save(Network, path);
    }

    /// <summary>Returns one CHW image per item, values in [−1, 1].</summary>
    public float[][] Generate(IReadOnlyList<GenerationItem> items, CancellationToken cancellationToken = default)
    {
        var batch = EncodeConditions(items);
        var other = new float[Manifest.LatentDim];
        var result = new float[items.Count][];
        using var lease = _engine.Acquire(cancellationToken);
        if (!_prepared)
        {
            Network.PrepareInference();
            _prepared = true;
        }

        for (var start = 0; start < items.Count; start += MaxBatch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(MaxBatch, items.Count - start);
            _latent.Resize([count, Manifest.LatentDim]);
            for (var i = 0; i < count; i++)
                FillLatent(items[start + i], _latent.Span.Slice(i * Manifest.LatentDim, Manifest.LatentDim), other);
            var chunk = batch.Slice(start, count);
            var images = Network.Forward(_latent, chunk, cancellationToken);
            for (var i = 0; i < count; i++)
                result[start + i] = images.Span.Slice(i * ImageLength, ImageLength).ToArray();
        }

        return result;
    }

    /// <summary>The items' conditions as the network takes them, interpolation endpoints blended in.</summary>
    public ConditionBatch EncodeConditions(IReadOnlyList<GenerationItem> items)
    {
        var batch = Network.Schema.Encode(items.Select(i => i.Conditions).ToArray());
        if (items.Any(i => i.Toward is not null))
            batch.BlendToward(Network.Schema.Encode(items.Select(i => i.Toward?.Conditions ?? i.Conditions).ToArray()),
                items.Select(i => i.Toward?.T ?? 0).ToArray());
        return batch;
    }

    /// <summary>Each item's latent, [items, latentDim] row-major: the values <see cref="Generate"/> uses.</summary>
    public float[] Latents(IReadOnlyList<GenerationItem> items)
    {
        var latents = new float[items.Count * Manifest.LatentDim];
        var other = new float[Manifest.LatentDim];
        for (var i = 0; i < items.Count; i++)
            FillLatent(items[i], latents.AsSpan(i * Manifest.LatentDim, Manifest.LatentDim), other);
        return latents;
    }

    private static void FillLatent(GenerationItem item, Span<float> latent, float[] other)
    {
        if (item.Latent is { } given)
        {
            if (given.Length != latent.Length)
                throw new ArgumentException($"The item's latent has {given.Length} values; the model takes {latent.Length}.");
            given.CopyTo(latent);
        }
        else
            LatentSampler.Fill(item.Seed, item.Index, latent);

        if (item.Variation is { } variation)
        {
            LatentSampler.Fill(variation.Seed, variation.Index, other);
            LatentSampler.Vary(latent, other, variation.Strength);
        }

        if (item.Toward is { } toward)
        {
            LatentSampler.Fill(toward.Seed, toward.Index, other);
            LatentSampler.Slerp(latent, other, toward.T);
        }
    }
}
