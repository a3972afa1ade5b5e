using System.Collections.Concurrent;
using Aigc.Generation;
using Aigc.Generation.Inference;
using Aigc.Generation.Manifest;
using Aigc.Imaging.Pipeline;
using Aigc.Platform.Blobs;
using Aigc.Platform.Models;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Studio;

/// <summary>
/// One small image per (model version, categorical condition, value) for the Studio's chips: that value with every
/// other condition at its first value (numbers at their midpoint) and a fixed seed. Rendered on first use outside the
/// queue (one pass on the inference device, so it takes its turn with the worker's passes and counts in the
/// device's load; no quota), kept in the blob store; the in-memory index is rebuilt on demand after a restart.
/// </summary>
public sealed class ConditionSamples(
    LoadedModels models, IInferenceDevice device, PostProcessingPipeline pipeline, BlobStore blobs,
        IOptions<StudioOptions> options)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _rendered = new(StringComparer.Ordinal);

    /// <summary>The blob hash of the sample; throws <see cref="ArgumentException"/> when the condition or value
    /// is not in the schema.</summary>
    public async Task<string> GetAsync(string weightsSha256, ConditionSchema schema, string condition, string value,
        CancellationToken cancellationToken = default)
    {
        var spec = schema.Categorical.FirstOrDefault(c => c.Name == condition)
            ?? throw new ArgumentException($"The model has no categorical condition \"{condition}\".",
                nameof(condition));
        if (!spec.Values!.Contains(value))
            throw new ArgumentException($"\"{value}\" is not a value of \"{condition}\".", nameof(value));
        var key = $"{weightsSha256}/{condition}/{value}";
        var entry = _rendered.GetOrAdd(key, _ => new Lazy<Task<string>>(() => RenderAsync(weightsSha256, schema,
            condition, value)));
        try
        {
            var sha = await entry.Value.WaitAsync(cancellationToken);
            if (blobs.Exists(sha))
                return sha;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A failed render is not kept: the next request tries again.
            _rendered.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(key, entry));
            throw;
        }

        // The blob went missing (storage cleaned up): render it once more.
        _rendered.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(key, entry));
        return await RenderAsync(weightsSha256, schema, condition, value);
    }

    private async Task<string> RenderAsync(string sha, ConditionSchema schema, string condition, string value)
    {
        var generator = await models.GetAsync(sha);
        var conditions = new ConditionValues();
        foreach (var spec in schema.Categorical)
            conditions.Set(spec.Name, spec.Name == condition ? value : spec.Values![0]);
        foreach (var spec in schema.Numeric)
            conditions.Set(spec.Name, (spec.Min!.Value + spec.Max!.Value) / 2);
        var images = await device.GenerateAsync(generator, [new GenerationItem(conditions,
            unchecked((ulong)options.Value.SampleSeed))]);
        var manifest = generator.Manifest;
        var processed = await pipeline.RunAsync(PipelinePresetCatalog.DefaultPresetName,
            PipelineSource.FromTensor(images[0], manifest.Channels, manifest.ImageSize, manifest.ImageSize), null);
        return await blobs.PutAsync(processed.Thumbnail ?? processed.Bytes);
    }
}
