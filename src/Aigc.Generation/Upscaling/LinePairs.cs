using Aigc.Generation.Datasets;
using Aigc.Imaging;
using Aigc.Neural;

namespace Aigc.Generation.Upscaling;

/// <summary>
/// Clean renders of synthetic drawings at the low and the high resolution (the same SVG rasterised twice by libvips),
/// grey bytes, white lines on black. Drawing i of a seed has part i mod 8 and the synthesizer's cycling views and
/// complexities, so any prefix is balanced.
/// </summary>
public sealed class LinePairs
{
    private LinePairs(int lowSize, int highSize, byte[][] low, byte[][] high)
    {
        (LowSize, HighSize, Low, High) = (lowSize, highSize, low, high);
    }

    public int LowSize { get; }

    public int HighSize { get; }

    public IReadOnlyList<byte[]> Low { get; }

    public IReadOnlyList<byte[]> High { get; }

    public int Count => Low.Count;

    public static LinePairs Render(ulong seed, int count, int lowSize, int highSize, CancellationToken cancellationToken = default)
    {
        if (count < 1)
            throw new ArgumentOutOfRangeException(nameof(count), $"At least one drawing is needed (got {count}).");
        var low = new byte[count][];
        var high = new byte[count][];
        var parts = BlueprintConditions.Parts.Count;
        Parallel.For(0, count, new ParallelOptions { CancellationToken = cancellationToken }, i =>
        {
            var svg = BlueprintSynthesizer.Svg(BlueprintSynthesizer.LabelFor(i % parts, i / parts), seed, i);
            low[i] = RenderGrey(svg, lowSize);
            high[i] = RenderGrey(svg, highSize);
        });
        return new LinePairs(lowSize, highSize, low, high);
    }

    public static byte[] RenderGrey(string svg, int size)
    {
        using var rgba = VipsImage.FromSvg(svg, size, size);
        using var flat = rgba.Flatten(0, 0, 0);
        using var grey = flat.ToGreyscale();
        return grey.ToPixels();
    }

    /// <summary>Drawing i at the low resolution, degraded by <paramref name="degradation"/>, in [0, 1].</summary>
    public float[] DegradedLow(int i, LineDegradation degradation, RandomSource random)
    {
        var image = ToUnit(Low[i]);
        degradation.Apply(image, LowSize, random);
        return image;
    }

    public static float[] ToUnit(ReadOnlySpan<byte> pixels)
    {
        var image = new float[pixels.Length];
        for (var p = 0; p < image.Length; p++)
            image[p] = pixels[p] / 255f;
        return image;
    }
}
