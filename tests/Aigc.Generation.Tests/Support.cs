using Aigc.Generation.Manifest;
using Aigc.Neural;
using Aigc.Neural.Gemm;
using Aigc.Neural.Safetensors;

namespace Aigc.Generation.Tests;

internal static class Support
{
    public static string FixturePath(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", name);

    public static CganManifest TinyManifest() => CganManifest.Load(FixturePath("tiny_manifest.json"));

    public static CganManifest ReferenceManifest() =>
        CganManifest.Load(Path.Combine(AppContext.BaseDirectory, "models", "reference", "manifest.json"));

    public static NeuralEngine Engine(string provider, int threads = 1) =>
        new(provider == "openblas" ? new OpenBlasGemm(threads) : new ManagedGemm(threads));

    public static IReadOnlyDictionary<string, SafetensorsEntry> Fixture(string name) =>
        SafetensorsFile.Read(FixturePath(name + ".safetensors"));

    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double maxErr = 0, scale = 1e-12;
        for (var i = 0; i < expected.Length; i++)
        {
            maxErr = Math.Max(maxErr, Math.Abs(actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }

        Assert.True(maxErr / scale <= tolerance, $"{what}: max relative error {maxErr / scale:E2} > {tolerance:E0}");
    }
}
