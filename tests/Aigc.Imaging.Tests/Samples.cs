using Aigc.Imaging.Metadata;

namespace Aigc.Imaging.Tests;

/// <summary>Real images for the tests: a rendered part drawing, solid fields, encoded files in each format.</summary>
internal static class Samples
{
    public const string PartSvg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
        <rect width="64" height="64" fill="#e8e4dc"/>
        <path d="M10 46 L10 20 Q10 14 16 14 L40 14 L54 28 L54 46 Q54 50 50 50 L14 50 Q10 50 10 46 Z" fill="#7d8790" stroke="#3a4046" stroke-width="1.5"/>
        <circle cx="22" cy="32" r="6" fill="#e8e4dc" stroke="#3a4046" stroke-width="1.2"/>
        <circle cx="42" cy="36" r="4" fill="#e8e4dc" stroke="#3a4046" stroke-width="1.2"/>
        <rect x="30" y="20" width="8" height="6" fill="#5b646c"/>
        </svg>
        """;

    /// <summary>A 64×64 RGB drawing of a bracket, like a generator output.</summary>
    public static VipsImage Part()
    {
        using var rgba = VipsImage.FromSvg(PartSvg, 64, 64);
        return rgba.Call("extract_band", ("band", 0), ("n", 3));
    }

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
