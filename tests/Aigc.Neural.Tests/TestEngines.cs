using Aigc.Neural.Backend;
using Aigc.Neural.Gemm;

namespace Aigc.Neural.Tests;

internal static class TestEngines
{
    public static IGemm Gemm(string provider, int threads = 1) => provider switch
    {
        "openblas" => new OpenBlasGemm(threads),
        "managed" => new ManagedGemm(threads),
        "managed256" => new ManagedGemm(threads, useVector512: false),
        _ => throw new ArgumentException(provider),
    };

    public static CpuBackend Backend(string provider = "managed", int threads = 1) =>
        new(new NeuralEngine(Gemm(provider, threads)));

    public static Tensor Random(RandomSource rng, params int[] shape)
    {
        var t = new Tensor(shape);
        rng.FillNormal(t, 0, 1);
        return t;
    }
}
