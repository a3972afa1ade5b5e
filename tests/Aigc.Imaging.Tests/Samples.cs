using Aigc.Imaging.Metadata;

namespace Aigc.Imaging.Tests;

/// <summary>Real images for the tests: a rendered part drawing, solid fields, encoded files in each format.</summary>
internal static class Samples
{
    /// <summary>A 64×64 RGB drawing of a bracket, like a generator output.</summary>
    public static VipsImage Part() => Pipeline.PresetPreview.SampleDrawing();

    public static VipsImage Solid(int width, int height, byte r, byte g, byte b)
    {
        var pixels = new byte[width * height * 3];
        for (var i = 0; i < pixels.Length; i += 3) (pixels[i], pixels[i + 1], pixels[i + 2]) = (r, g, b);
        return VipsImage.FromPixels(pixels, width, height, 3);
    }

    /// <summary>Deterministic noise: compresses badly, so truncating the file cuts into pixel data.</summary>
    public static VipsImage Noise(int width, int height, int seed = 7)
    {
        var pixels = new byte[width * height * 3];
        new Random(seed).NextBytes(pixels);
        return VipsImage.FromPixels(pixels, width, height, 3);
    }

    public static byte[] Encode(VipsImage image, ImageFormat format) => format switch
    {
        ImageFormat.Png => image.EncodePng(),
        ImageFormat.Jpeg => image.EncodeJpeg(),
        _ => image.EncodeWebp(),
    };

    public static BlueprintMetadata Metadata(long seed = 1234) => new(
        "bracket-cgan", "3", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        new Dictionary<string, string> { ["part"] = "L-bracket", ["holes"] = "2", ["material"] = "Stahl ü" },
        seed, "ignored", "aigc-neural 0.1", new DateTimeOffset(2026, 11, 22, 9, 30, 0, TimeSpan.Zero));
}

/// <summary>Decoded pixels with coordinates, for pixel-level assertions.</summary>
internal sealed class Pixels
{
    private readonly byte[] _data;

    public Pixels(VipsImage image)
    {
        Width = image.Width;
        Height = image.Height;
        Bands = image.Bands;
        _data = image.ToPixels();
    }

    public static Pixels Of(byte[] encoded)
    {
        using var image = VipsImage.Decode(encoded);
        return new Pixels(image);
    }

    public int Width { get; }
    public int Height { get; }
    public int Bands { get; }

    public byte this[int x, int y, int band] => _data[(y * Width + x) * Bands + band];

    public (byte R, byte G, byte B) Rgb(int x, int y) => Bands >= 3 ? (this[x, y, 0], this[x, y, 1], this[x, y, 2]) : (this[x, y, 0], this[x, y, 0], this[x, y, 0]);

    public double Luma(int x, int y)
    {
        var (r, g, b) = Rgb(x, y);
        return 0.2126 * r + 0.7152 * g + 0.0722 * b;
    }

    /// <summary>How many pixels in the rectangle are brighter than <paramref name="luma"/>.</summary>
    public int CountBrighter(int left, int top, int width, int height, double luma)
    {
        var count = 0;
        for (var y = top; y < top + height; y++)
            for (var x = left; x < left + width; x++)
                if (Luma(x, y) > luma) count++;
        return count;
    }
}
