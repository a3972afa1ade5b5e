using Aigc.Imaging.Metadata;

namespace Aigc.Imaging.Pipeline;

/// <summary>
/// Runs presets on images, at most <c>Concurrency</c> at a time across all callers, entirely in memory.
/// Cancellation is observed while waiting for a slot and between steps.
/// </summary>
public sealed class PostProcessingPipeline : IDisposable
{
    private readonly SemaphoreSlim _slots;
    private readonly int _concurrency;

    public PostProcessingPipeline(PipelinePresetCatalog presets, ImageLimits limits, int concurrency)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        Presets = presets;
        Limits = limits;
        _concurrency = concurrency;
        _slots = new SemaphoreSlim(concurrency, concurrency);
    }

    public PipelinePresetCatalog Presets { get; }
    public ImageLimits Limits { get; }

    public Task<ProcessedImage> RunAsync(string preset, PipelineSource source, BlueprintMetadata? metadata, CancellationToken cancellationToken = default) =>
        RunAsync(Presets.Get(preset), source, metadata, cancellationToken);

    public async Task<ProcessedImage> RunAsync(PipelinePreset preset, PipelineSource source, BlueprintMetadata? metadata, CancellationToken cancellationToken = default)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(() => Run(preset, source, metadata, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <summary>Runs many jobs with bounded concurrency; results come back in input order.</summary>
    public async Task<IReadOnlyList<ProcessedImage>> RunManyAsync(
        string preset, IReadOnlyList<(PipelineSource Source, BlueprintMetadata? Metadata)> jobs, CancellationToken cancellationToken = default)
    {
        var resolved = Presets.Get(preset);
        var results = new ProcessedImage[jobs.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, jobs.Count),
            new ParallelOptions { MaxDegreeOfParallelism = _concurrency, CancellationToken = cancellationToken },
            async (i, ct) => results[i] = await RunAsync(resolved, jobs[i].Source, jobs[i].Metadata, ct).ConfigureAwait(false)).ConfigureAwait(false);
        return results;
    }

    /// <summary>Runs synchronously on the calling thread (no concurrency bound): for tools and benchmarks.</summary>
    public ProcessedImage Run(PipelinePreset preset, PipelineSource source, BlueprintMetadata? metadata, CancellationToken cancellationToken = default)
    {
        var stamped = metadata is null ? null : metadata with { Preset = preset.Name };
        var run = new PipelineRun(preset.Name, stamped);
        var image = source.Open(Limits);
        try
        {
            foreach (var step in preset.Steps)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var next = step.Apply(image, run);
                if (next is null) continue;
                image.Dispose();
                image = next;
            }
            var bytes = run.Encoding.Encode(image, stamped?.ToPngText());
            return new ProcessedImage(bytes, run.Encoding.Format, image.Width, image.Height, run.Thumbnail);
        }
        finally
        {
            image.Dispose();
        }
    }

    public void Dispose() => _slots.Dispose();
}
