using Aigc.Generation.Datasets;
using Aigc.Imaging;

namespace Aigc.Generation.Tests.Datasets;

public class SynthesizerTests
{
    [Fact]
    public void Same_seed_gives_identical_files_and_another_seed_other_images()
    {
        using var temp = new TempFolder();
        BlueprintSynthesizer.Write(temp["a"], perClass: 3, size: 32, seed: 11);
        BlueprintSynthesizer.Write(temp["b"], perClass: 3, size: 32, seed: 11);
        BlueprintSynthesizer.Write(temp["c"], perClass: 3, size: 32, seed: 12);
        var files = Directory.GetFiles(temp["a"], "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(temp["a"], f)).Order().ToList();
        Assert.Equal(8 * 3 + 2, files.Count);
        foreach (var f in files)
            Assert.True(File.ReadAllBytes(Path.Combine(temp["a"], f)).SequenceEqual(File.ReadAllBytes(Path.Combine(temp["b"], f))), $"{f} differs between two runs with seed 11");
        var differing = files.Where(f => f.StartsWith("images", StringComparison.Ordinal))
            .Count(f => !File.ReadAllBytes(Path.Combine(temp["a"], f)).SequenceEqual(File.ReadAllBytes(Path.Combine(temp["c"], f))));
        Assert.True(differing >= 20, $"only {differing} of 24 images changed with the seed");
    }

    [Fact]
    public void Labels_are_balanced_and_match_the_files_and_schema()
    {
        using var temp = new TempFolder();
        var info = BlueprintSynthesizer.Write(temp.Path, perClass: 9, size: 32, seed: 3);
        var entries = DatasetFolder.ReadLabels(temp.Path);
        Assert.Equal(72, entries.Count);
        Assert.Equal(72, DatasetFolder.ReadInfo(temp.Path).Count);
        Assert.Equal(BlueprintSynthesizer.Version, info.Generator.Version);
        Assert.Equal(BlueprintConditions.Names, DatasetFolder.ReadInfo(temp.Path).Conditions.Select(c => c.Name));
        foreach (var part in BlueprintConditions.Parts)
        {
            var mine = entries.Where(e => e.Label.Part == part).ToList();
            Assert.Equal(9, mine.Count);
            Assert.All(mine, e => Assert.StartsWith($"images/{part}_", e.File));
            // Every (view, complexity) pair once per class.
            Assert.Equal(9, mine.Select(e => (e.Label.View, e.Label.Complexity)).Distinct().Count());
        }

        foreach (var e in entries)
        {
            using var image = VipsImage.Decode(File.ReadAllBytes(Path.Combine(temp.Path, e.File)));
            Assert.Equal((32, 32, 1), (image.Width, image.Height, image.Bands));
        }
    }

    [Fact]
    public void Every_part_view_and_complexity_draws_lines_on_black()
    {
        foreach (var part in BlueprintConditions.Parts)
            foreach (var view in BlueprintConditions.Views)
                foreach (var complexity in BlueprintConditions.Complexities)
                {
                    using var image = VipsImage.Decode(BlueprintSynthesizer.RenderPng(new BlueprintLabel(part, view, complexity), 5, 0, 64));
                    var pixels = image.ToPixels();
                    var lit = pixels.Count(p => p > 128) / (double)pixels.Length;
                    Assert.True(lit is > 0.02 and < 0.45, $"{part}/{view}/{complexity}: {lit:P1} of pixels lit");
                    Assert.True(pixels[0] < 16 && pixels[^1] < 16, $"{part}/{view}/{complexity}: corners should be background");
                }
    }

    [Fact]
    public void Higher_complexity_draws_more()
    {
        double Lit(string complexity) => BlueprintConditions.Parts.Sum(part =>
        {
            using var image = VipsImage.Decode(BlueprintSynthesizer.RenderPng(new BlueprintLabel(part, "front", complexity), 9, 1, 64));
            return image.ToPixels().Sum(p => (double)p);
        });
        Assert.True(Lit("low") < Lit("medium") && Lit("medium") < Lit("high"));
    }

    [Fact]
    public void Bad_requests_fail_clearly()
    {
        using var temp = new TempFolder();
        Assert.Contains("--per-class", Assert.Throws<ArgumentOutOfRangeException>(() => BlueprintSynthesizer.Write(temp["x"], 0, 64, 1)).Message);
        Assert.Contains("--size", Assert.Throws<ArgumentOutOfRangeException>(() => BlueprintSynthesizer.Write(temp["x"], 1, 8, 1)).Message);
        Assert.Contains("Unknown part", Assert.Throws<ArgumentException>(() => BlueprintSynthesizer.Svg(new BlueprintLabel("sprocket", "front", "low"), 1, 0)).Message);
        BlueprintSynthesizer.Write(temp["y"], 1, 16, 1);
        Assert.Contains("already holds a dataset", Assert.Throws<IOException>(() => BlueprintSynthesizer.Write(temp["y"], 1, 16, 1)).Message);
    }
}
