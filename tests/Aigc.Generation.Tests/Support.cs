using Aigc.Generation.Manifest;
using Aigc.Neural;
using Aigc.Neural.Gemm;

namespace Aigc.Generation.Tests;

internal static class Support
{
    public static CganManifest TinyManifest() => CganManifest.Load(Fixture.PathOf("tiny_manifest.json"));

    public static CganManifest ReferenceManifest() =>
        CganManifest.Load(Path.Combine(AppContext.BaseDirectory, "models", "reference", "manifest.json"));

    public static NeuralEngine Engine(string provider, int threads = 1) =>
        new(provider == "openblas" ? new OpenBlasGemm(threads) : new ManagedGemm(threads));
}
