using Aigc.Generation;
using Aigc.Generation.Inference;
using Aigc.Generation.Manifest;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Testing;

/// <summary>
/// The host's inference device with a gate: once armed with <see cref="HoldAfter"/>, it lets that many batches through
/// and holds every later one until <see cref="Open"/>. A test acts on a job that is certainly still running, however
/// fast the machine (on an idle one a 64-image job of the small test model finished between two polls of the
/// database). One-image passes always go through: registering or loading a model version checks it with one
/// (the tests' batches are 8).
/// </summary>
public sealed class GatedDevice(IInferenceDevice inner) : IInferenceDevice, IDisposable
{
    private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _batches = int.MaxValue;
    private int _passed;

    public string Name => inner.Name;

    public DeviceKind Kind => inner.Kind;

    public string Engine => inner.Engine;

    /// <summary>Replaces the platform's device registration with a gate around it.</summary>
    public static void Install(IServiceCollection services)
    {
        var device = services.Last(d => d.ServiceType == typeof(IInferenceDevice));
        services.Remove(device);
        services.AddSingleton(sp => new GatedDevice((IInferenceDevice)device.ImplementationFactory!(sp)));
        services.AddSingleton<IInferenceDevice>(sp => sp.GetRequiredService<GatedDevice>());
    }

    public Generator CreateGenerator(CganManifest manifest) => inner.CreateGenerator(manifest);

    public async Task<float[][]> GenerateAsync(Generator generator, IReadOnlyList<GenerationItem> items,
        CancellationToken cancellationToken = default)
    {
        if (items.Count > 1 && Interlocked.Increment(ref _passed) > Volatile.Read(ref _batches))
            await _open.Task.WaitAsync(cancellationToken);
        return await inner.GenerateAsync(generator, items, cancellationToken);
    }

    public DeviceLoad LoadOver(TimeSpan window) => inner.LoadOver(window);

    /// <summary>Lets <paramref name="batches"/> batches through and holds the rest.</summary>
    public void HoldAfter(int batches) => Volatile.Write(ref _batches, batches);

    /// <summary>Lets the held pass and every later one through.</summary>
    public void Open() => _open.TrySetResult();

    public void Dispose() => (inner as IDisposable)?.Dispose();
}
