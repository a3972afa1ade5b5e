using Aigc.Neural.Gemm;

namespace Aigc.Neural;

/// <summary>
/// The process's compute resources: the GEMM provider and the thread budget. Network passes that run
/// through <see cref="Acquire"/> take turns, each using all configured threads, so concurrent batches
/// never oversubscribe the cores (OpenBLAS's threads and .NET's would otherwise fight).
/// </summary>
public sealed class NeuralEngine
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public NeuralEngine(NeuralOptions options)
    {
        var threads = options.EffectiveThreads;
        Threads = threads;
        MaxSafetensorsHeaderBytes = options.MaxSafetensorsHeaderBytes;
        Gemm = options.BlasProvider switch
        {
            BlasProvider.OpenBlas => new OpenBlasGemm(threads),
            BlasProvider.Managed => new ManagedGemm(threads),
            _ => OpenBlasGemm.IsAvailable ? new OpenBlasGemm(threads) : new ManagedGemm(threads),
        };
    }

    public NeuralEngine(IGemm gemm, int maxSafetensorsHeaderBytes = 16 << 20)
    {
        Gemm = gemm;
        Threads = gemm.Threads;
        MaxSafetensorsHeaderBytes = maxSafetensorsHeaderBytes;
    }

    public IGemm Gemm { get; }

    public int Threads { get; }

    public int MaxSafetensorsHeaderBytes { get; }

    /// <summary>Waits for the compute budget; dispose the lease to hand it on.</summary>
    public Lease Acquire(CancellationToken cancellationToken = default)
    {
        _gate.Wait(cancellationToken);
        return new Lease(_gate);
    }

    public readonly struct Lease(SemaphoreSlim gate) : IDisposable
    {
        public void Dispose() => gate.Release();
    }
}
