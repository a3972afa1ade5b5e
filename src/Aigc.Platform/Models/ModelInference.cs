using Aigc.Generation;
using Aigc.Generation.Inference;
using Aigc.Generation.Manifest;

namespace Aigc.Platform.Models;

/// <summary>
/// Request code's door to the process's one inference device and its loaded generators (both singletons): smoke
/// checks of uploaded weights and the device's status. Scoped, so a request's cancellation travels with its calls.
/// </summary>
public sealed class ModelInference(IInferenceDevice device, LoadedModels loaded)
{
    /// <summary>The load is reported over this window.</summary>
    public static readonly TimeSpan LoadWindow = TimeSpan.FromSeconds(10);

    /// <summary>Strict load against the manifest and one smoke generation on the device; throws <see cref="ModelRejectedException"/>.</summary>
    public Task<Generator> CheckAsync(CganManifest manifest, string weightsPath, CancellationToken cancellationToken) =>
        ModelValidation.LoadAndCheckAsync(manifest, weightsPath, device, cancellationToken);

    public DeviceStatus Status() =>
        new(device.Name, device.Kind, device.LoadOver(LoadWindow), loaded.Snapshot(), loaded.UsedBytes, loaded.CapacityBytes);
}

/// <summary>The device in use, its load, and the generators in memory against the cache's cap.</summary>
public sealed record DeviceStatus(string Name, DeviceKind Kind, DeviceLoad Load, IReadOnlyList<LoadedModel> Loaded, long UsedBytes, long CapacityBytes);
