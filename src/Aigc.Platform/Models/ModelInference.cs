using Aigc.Generation;
using Aigc.Generation.Inference;
using Aigc.Generation.Manifest;

namespace Aigc.Platform.Models;

/// <summary>
/// Request code's door to the process's one inference device (a singleton): smoke checks of uploaded weights.
/// Scoped, so a request's cancellation travels with its calls. The device's figures are read by Status.SystemStatus.
/// </summary>
public sealed class ModelInference(IInferenceDevice device)
{
    /// <summary>Strict load against the manifest and one smoke generation on the device; throws <see cref="ModelRejectedException"/>.</summary>
    public Task<Generator> CheckAsync(CganManifest manifest, string weightsPath, CancellationToken cancellationToken) =>
        ModelValidation.LoadAndCheckAsync(manifest, weightsPath, device, cancellationToken);
}
