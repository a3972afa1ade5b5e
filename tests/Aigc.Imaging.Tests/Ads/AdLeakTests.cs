using Aigc.Imaging.Ads;
using Xunit.Abstractions;

namespace Aigc.Imaging.Tests.Ads;

/// <summary>Runs in the leak collection (alone), so only the renderer's own allocations show up in the process RSS.</summary>
[Collection(nameof(LeakTests))]
public class AdLeakTests(ITestOutputHelper output)
{
    [Fact]
    public void Rss_stays_flat_over_400_ad_renders_with_encoding()
    {
        using var product = AdSamples.Blueprint();
        using var logo = BrandLogo.Load("image/svg+xml", System.Text.Encoding.UTF8.GetBytes(
            """<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40"><rect width="40" height="40" rx="8" fill="#124a9e"/></svg>"""), 256);
        var templates = AdTemplateCatalog.All;
        AdSize[] sizes = [new(300, 250), new(728, 90), new(160, 600)];

        void Renders(int count) => Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            var composition = AdSamples.Composition(templates[i % templates.Count], product, logo: i % 2 == 0 ? logo : null,
                treatment: (ProductShotTreatment)(i % 3));
            using var rendering = AdRenderer.Render(composition, sizes[i % sizes.Length]);
            Assert.True(AdEncoding.Png(rendering.Image).Length > 0 && AdEncoding.Jpeg(rendering.Image).Length > 0);
        });

        Renders(500); // warm-up: fonts, templates, libvips caches and thread pools reach their steady size
        var before = ProcessMemory.Rss();
        Renders(400);
        var after = ProcessMemory.Rss();
        var growth = (after - before) / (1024.0 * 1024.0);
        output.WriteLine($"RSS before {before / 1048576.0:F1} MiB, after 400 renders {after / 1048576.0:F1} MiB, growth {growth:F1} MiB");
        // One leaked canvas per render would be 400 × 180–290 KB ≈ 70–110 MiB.
        Assert.True(growth < 24, $"RSS grew {growth:F1} MiB over 400 renders");
    }
}
