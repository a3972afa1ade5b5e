using Aigc.Generation.Datasets;
using Aigc.Imaging;

namespace Aigc.Generation.Tests.Datasets;

public class ImportTests
{
    [Fact]
    public void Reports_every_problem_with_file_and_line_and_writes_nothing()
    {
        using var temp = new TempFolder();
        var images = temp["drawings"];
        Directory.CreateDirectory(images);
        File.WriteAllBytes(Path.Combine(images, "a.png"), Drawing(48, 48, dark: true));
        File.WriteAllBytes(Path.Combine(images, "b.png"), Drawing(40, 40, dark: true));
        File.WriteAllBytes(Path.Combine(images, "c.png"), "this is not an image"u8.ToArray());
        File.WriteAllBytes(Path.Combine(images, "d.png"), Drawing(48, 48, dark: true));
        File.WriteAllBytes(Path.Combine(images, "stray.png"), Drawing(48, 48, dark: true));
        File.WriteAllText(temp["labels.csv"], """
            file,part,view,complexity
            a.png,spur_gear,front,low
            b.png,flange,side,medium
            c.png,hex_nut,front,high
            d.png,sprocket,front,low
            missing.png,pulley,section,low
            d.png,pulley,section,low
            a2.png,pulley
            e.png,,front,low
            """.Replace("            ", ""));

        var report = DatasetImporter.Import(images, temp["labels.csv"], temp["out"], 32);

        Assert.False(report.Succeeded);
        var labels = temp["labels.csv"];
        Assert.Contains(report.Problems, p => p.StartsWith($"{labels}:3: b.png: size 40×40 differs from a.png (48×48)", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.StartsWith($"{labels}:4: c.png: unreadable image", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.StartsWith($"{labels}:5: d.png: unknown part \"sprocket\" (expected one of spur_gear,", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.StartsWith($"{labels}:6: missing.png: image file not found", StringComparison.Ordinal));
        Assert.Contains($"{labels}:7: d.png: already labelled on line 5.", report.Problems);
        Assert.Contains($"{labels}:8: expected 4 fields (file,part,view,complexity), got 2.", report.Problems);
        Assert.Contains($"{labels}:9: e.png: missing part label.", report.Problems);
        Assert.Contains(report.Problems, p => p.StartsWith($"{Path.Combine(images, "stray.png")}: no line in labels.csv", StringComparison.Ordinal));
        Assert.Equal(9, report.Problems.Count);
        Assert.EndsWith("no line in labels.csv labels this image.", report.Problems[^1]);
        Assert.StartsWith($"{labels}:3:", report.Problems[0]);
        Assert.False(Directory.Exists(temp["out"]));
    }

    [Fact]
    public void Rejects_a_wrong_header()
    {
        using var temp = new TempFolder();
        Directory.CreateDirectory(temp["drawings"]);
        File.WriteAllText(temp["labels.csv"], "image,class\n");
        var report = DatasetImporter.Import(temp["drawings"], temp["labels.csv"], temp["out"], 32);
        Assert.Equal([$"{temp["labels.csv"]}:1: expected the header \"file,part,view,complexity\"."], report.Problems);
    }

    [Fact]
    public void Imports_resizes_crops_and_inverts_light_paper()
    {
        using var temp = new TempFolder();
        var images = temp["drawings"];
        Directory.CreateDirectory(Path.Combine(images, "sub"));
        File.WriteAllBytes(Path.Combine(images, "light.png"), Drawing(120, 80, dark: true));
        File.WriteAllBytes(Path.Combine(images, "sub", "dark.png"), Drawing(120, 80, dark: false));
        File.WriteAllText(temp["labels.csv"], "file,part,view,complexity\nlight.png,hex_nut,front,low\nsub/dark.png,bracket,side,high\n");

        var report = DatasetImporter.Import(images, temp["labels.csv"], temp["out"], 32);

        Assert.True(report.Succeeded, string.Join("\n", report.Problems));
        Assert.Equal((2, 1), (report.Imported, report.Inverted));
        var data = BlueprintDataset.Load(temp["out"]);
        Assert.Equal(32, data.ImageSize);
        Assert.Equal(["hex_nut", "bracket"], data.Entries.Select(e => e.Label.Part));
        // Both come out as white lines on black: mostly dark, a bright line through the middle row.
        for (var n = 0; n < 2; n++)
        {
            var plane = data.Pixels.AsSpan(n * 1024, 1024);
            Assert.True(plane[0] < -0.9f, $"image {n}: background should be black");
            Assert.True(plane[16 * 32 + 16] > 0.5f, $"image {n}: the line should be white");
        }
    }

    /// <summary>A horizontal line through the middle: dark on light paper, or light on dark.</summary>
    private static byte[] Drawing(int width, int height, bool dark)
    {
        var pixels = new byte[width * height];
        Array.Fill(pixels, dark ? (byte)250 : (byte)5);
        for (var y = height / 2 - 3; y < height / 2 + 3; y++)
            for (var x = 0; x < width; x++)
                pixels[y * width + x] = dark ? (byte)10 : (byte)245;
        using var image = VipsImage.FromPixels(pixels, width, height, 1);
        return image.EncodePng();
    }
}
