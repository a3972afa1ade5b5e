using Aigc.Imaging.Pipeline;
using Xunit.Abstractions;

namespace Aigc.Imaging.Tests;

/// <summary>RSS is per process: this collection runs alone, so other tests' allocations do not show up as growth.</summary>
[CollectionDefinition(nameof(LeakTests), DisableParallelization = true)]
public class LeakTestsCollection;

[Collection(nameof(LeakTests))]
public class LeakTests(ITestOutputHelper output)
{
    [Fact]
    public void Rss_stays_flat_over_2000_pipeline_runs()
    {
        using var catalog = PipelinePresetCatalog.Create(new Dictionary<string, List<Dictionary<string, string>>>
        {
            ["full"] =
            [
                PresetRunner.Step("upscale", ("size", "256")), PresetRunner.Step("sharpen"), PresetRunner.Step("levels", ("gamma", "1.2")),
                PresetRunner.Step("watermark", ("text", "AIGC")), PresetRunner.Step("thumbnail", ("size", "64")), PresetRunner.Step("blueprint"),
                PresetRunner.Step("encode"),
            ],
        }, ImageLimits.Default);
        using var pipeline = new PostProcessingPipeline(catalog, ImageLimits.Default, 2);
        var presets = new[] { catalog.Get("default"), catalog.Get("full") };
        var metadata = Samples.Metadata();
        using var part = Samples.Part();
        var png = part.EncodePng();
        var tensor = new float[3 * 64 * 64];
        for (var i = 0; i < tensor.Length; i++) tensor[i] = MathF.Sin(i * 0.01f);

        void Runs(int count) => Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            var source = i % 2 == 0 ? PipelineSource.FromTensor(tensor, 3, 64, 64) : PipelineSource.FromEncoded(png);
            var result = pipeline.Run(presets[i % 3 == 0 ? 1 : 0], source, metadata);
            Assert.True(result.Width >= 256);
        });

        Runs(300); // warm-up: JIT, libvips caches and thread pools reach their steady size
        var before = ProcessMemory.Rss();
        Runs(2000);
        var after = ProcessMemory.Rss();
        var growth = (after - before) / (1024.0 * 1024.0);
        output.WriteLine($"RSS before {before / 1048576.0:F1} MiB, after 2,000 runs {after / 1048576.0:F1} MiB, growth {growth:F1} MiB");
        Assert.True(growth < 24, $"RSS grew {growth:F1} MiB over 2,000 runs");
    }
}
