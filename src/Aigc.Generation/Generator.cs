using Aigc.Generation.Manifest;
using Aigc.Generation.Networks;
using Aigc.Neural;
using Aigc.Neural.Backend;
using Aigc.Neural.Safetensors;

namespace Aigc.Generation;

/// <summary>
/// A loaded generator for inference, safe to share between threads: each call takes the engine's compute lease
/// (so concurrent batches run one after another, each with all configured threads) and runs in eval mode.
/// Large requests run in chunks of <see cref="MaxBatch"/>; cancellation is checked between layers and chunks.
/// </summary>
public sealed class Generator
{
    private readonly NeuralEngine _engine;
    private readonly Tensor _latent = new(0, 0);
    private int _maxBatch = 64;

    private Generator(CganManifest manifest, NeuralEngine engine, ulong initSeed)
    {
        _engine = engine;
        Manifest = manifest;
        Network = new GeneratorNetwork(manifest, new CpuBackend(engine), new RandomSource(initSeed));
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

    /// <summary>Strictly loads a generator state_dict (PyTorch names) from safetensors.</summary>
    public void LoadWeights(string path)
    {
        using var lease = _engine.Acquire();
        StateDictFile.Load(Network, path, _engine.MaxSafetensorsHeaderBytes);
    }

    public void SaveWeights(string path)
    {
        using var lease = _engine.Acquire();
        StateDictFile.Save(Network, path);
    }

    /// <summary>Returns one CHW image per item, values in [−1, 1].</summary>
    public float[][] Generate(IReadOnlyList<GenerationItem> items, CancellationToken cancellationToken = default)
    {
        var batch = Manifest.Schema.Encode(items.Select(i => i.Conditions).ToArray());
        var result = new float[items.Count][];
        using var lease = _engine.Acquire(cancellationToken);
        for (var start = 0; start < items.Count; start += MaxBatch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(MaxBatch, items.Count - start);
            _latent.Resize([count, Manifest.LatentDim]);
            for (var i = 0; i < count; i++)
                LatentSampler.Fill(items[start + i].Seed, items[start + i].Index, _latent.Span.Slice(i * Manifest.LatentDim, Manifest.LatentDim));
            var chunk = Slice(batch, start, count);
            var images = Network.Forward(_latent, chunk, cancellationToken);
            for (var i = 0; i < count; i++)
                result[start + i] = images.Span.Slice(i * ImageLength, ImageLength).ToArray();
        }

        return result;
    }

    private static ConditionBatch Slice(ConditionBatch batch, int start, int count)
    {
        if (start == 0 && count == batch.Count)
            return batch;
        var slice = new ConditionBatch(batch.Schema, count);
        for (var k = 0; k < batch.Indices.Length; k++)
            Array.Copy(batch.Indices[k], start, slice.Indices[k], 0, count);
        var width = batch.Schema.Numeric.Count;
        Array.Copy(batch.Scaled, start * width, slice.Scaled, 0, count * width);
        return slice;
    }
}
