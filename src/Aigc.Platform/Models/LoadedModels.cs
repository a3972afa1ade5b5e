using Aigc.Generation;
using Aigc.Generation.Inference;
using Aigc.Generation.Manifest;

namespace Aigc.Platform.Models;

/// <summary>
/// The process's loaded generators, keyed by weights hash: loaded lazily (once, even when asked concurrently),
/// evicted least-recently-used when their estimated memory passes the cap. A file whose hash no longer matches,
/// or that no longer fits its manifest, fails the load with <see cref="ModelRejectedException"/>.
/// </summary>
public sealed class LoadedModels(ModelFiles files, IInferenceDevice device, long capacityBytes)
{
    // The weights and their copy prepared for inference (ConvTranspose2d.PrepareInference) are about twice the file;
    // activations at one image per pass add little. On ONNX Runtime the engine keeps the weights and spectral norm's
    // normalised copy, and the session its initializers and their packed form: about four times (an estimate).
    private readonly int _memoryPerWeightByte = device.Kind == DeviceKind.Cpu ? 2 : 4;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _clock;

    public long CapacityBytes => capacityBytes;

    /// <summary>Estimated bytes of the generators now loaded.</summary>
    public long UsedBytes
    {
        get
        {
            lock (_gate)
                return _entries.Values.Sum(e => e.Bytes);
        }
    }

    public Task<Generator> GetAsync(string sha256, CancellationToken cancellationToken = default)
    {
        Entry entry;
        lock (_gate)
        {
            if (!_entries.TryGetValue(sha256, out entry!))
            {
                entry = new Entry(new Lazy<Task<Generator>>(() => Task.Run(() => LoadAsync(sha256), CancellationToken.None)));
                _entries[sha256] = entry;
            }

            entry.LastUse = ++_clock;
        }

        return AwaitLoad(sha256, entry, cancellationToken);
    }

    /// <summary>Starts loading in the background; a failure is reported to the first real caller.</summary>
    public void Warm(string sha256) =>
        GetAsync(sha256).ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);

    public IReadOnlyList<LoadedModel> Snapshot()
    {
        lock (_gate)
        {
            return _entries.Where(e => e.Value.Bytes > 0)
                .OrderByDescending(e => e.Value.LastUse)
                .Select(e => new LoadedModel(e.Key, e.Value.Bytes))
                .ToList();
        }
    }

    private async Task<Generator> AwaitLoad(string sha256, Entry entry, CancellationToken cancellationToken)
    {
        try
        {
            return await entry.Load.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ModelRejectedException)
        {
            lock (_gate)
            {
                if (_entries.TryGetValue(sha256, out var current) && current == entry)
                    _entries.Remove(sha256);
            }

            throw;
        }
    }

    private async Task<Generator> LoadAsync(string sha256)
    {
        var weights = files.WeightsOf(sha256);
        var manifestPath = Path.Combine(files.FolderOf(sha256), ModelFiles.ManifestFileName);
        if (!File.Exists(weights) || !File.Exists(manifestPath))
            throw new ModelRejectedException($"The files of model version {sha256[..12]} are missing from {files.FolderOf(sha256)}.");
        var actual = await ModelFiles.HashAsync(weights, CancellationToken.None);
        if (actual != sha256)
            throw new ModelRejectedException($"{weights} has SHA-256 {actual[..12]}…, not {sha256[..12]}…: the file is corrupt or was replaced.");
        CganManifest manifest;
        try
        {
            manifest = CganManifest.Load(manifestPath);
        }
        catch (ManifestException e)
        {
            throw new ModelRejectedException(e.Message, e);
        }

        var generator = await ModelValidation.LoadAndCheckAsync(manifest, weights, device);
        // One image per engine pass: with OpenBLAS an image's pixels depend on its batch and its place in it, alone
        // they do not; the scheduler's batches still group the work (decision 0006). ONNX Runtime runs one image per
        // run for the same promise (decision 0017).
        generator.MaxBatch = 1;
        var bytes = new FileInfo(weights).Length * _memoryPerWeightByte;
        lock (_gate)
        {
            if (_entries.TryGetValue(sha256, out var entry))
                entry.Bytes = bytes;
            EvictBeyondCapacity(keep: sha256);
        }

        return generator;
    }

    private void EvictBeyondCapacity(string keep)
    {
        var total = _entries.Values.Sum(e => e.Bytes);
        foreach (var (key, entry) in _entries.Where(e => e.Key != keep && e.Value.Bytes > 0).OrderBy(e => e.Value.LastUse).ToList())
        {
            if (total <= capacityBytes)
                break;
            _entries.Remove(key);
            total -= entry.Bytes;
        }
    }

    private sealed class Entry(Lazy<Task<Generator>> load)
    {
        public Lazy<Task<Generator>> Load { get; } = load;

        public long LastUse { get; set; }

        public long Bytes { get; set; }
    }
}

/// <summary>A generator held in memory: its weights hash and estimated bytes.</summary>
public sealed record LoadedModel(string WeightsSha256, long EstimatedBytes);
