using Aigc.Generation.Upscaling;
using Aigc.Neural;
using Aigc.Neural.Gemm;
using Aigc.Platform.Models;

namespace Aigc.Platform.Tests.Models;

/// <summary>The shipped line upscalers: found under models/upscalers, identified by weights hash, used for their sizes only.</summary>
public sealed class ShippedUpscalersTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("aigc-upscalers-");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void A_shipped_version_enlarges_its_sizes_and_declines_others()
    {
        var manifest = Path.Combine(_root.FullName, "tiny.json");
        File.WriteAllText(manifest, """{ "kind": "upscaler", "name": "tiny", "inputSize": 16, "scale": 2, "features": 4, "blocks": 1 }""");
        var folder = Path.Combine(_root.FullName, "upscalers", "x2");
        new UpscalerTrainingRun(new UpscalerTrainingOptions
        {
            ManifestPath = manifest, OutputDirectory = folder, Steps = 2, BatchSize = 2, CropSize = 8, Drawings = 2, HeldOut = 1,
        }, new NeuralEngine(new ManagedGemm(1))).Run();
        Directory.CreateDirectory(Path.Combine(_root.FullName, "upscalers", "empty"));

        var shipped = new ShippedUpscalers(Path.Combine(_root.FullName, "upscalers"), BlasProvider.Managed);
        var version = Assert.Single(shipped.Versions);
        Assert.Equal(("tiny", 16, 32), (version.Name, version.InputSize, version.OutputSize));
        Assert.Equal(64, version.WeightsSha256.Length);
        Assert.InRange(version.CleanF1!.Value, 0, 1);

        var grey = new byte[16 * 16];
        Assert.Equal(32 * 32, shipped.Upscale(grey, 16, 32)!.Length);
        Assert.Null(shipped.Upscale(grey, 16, 64));
        // The same input gives the same output on a reused copy.
        Assert.Equal(shipped.Upscale(grey, 16, 32), shipped.Upscale(grey, 16, 32));
    }

    [Fact]
    public void Without_shipped_upscalers_nothing_is_enlarged()
    {
        var shipped = new ShippedUpscalers(Path.Combine(_root.FullName, "missing"), BlasProvider.Managed);
        Assert.Empty(shipped.Versions);
        Assert.Null(shipped.Upscale(new byte[64 * 64], 64, 256));
    }
}
