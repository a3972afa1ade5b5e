using Aigc.Imaging;

namespace Aigc.Generation.Datasets;

/// <summary>Lays equally sized one-band images out in rows, with a grey gutter, and encodes the sheet as PNG.</summary>
public static class ImageGrid
{
    private const byte Gutter = 96;

    /// <param name="rows">rows[r][c]: size×size grey pixels; rows may differ in length.</param>
    /// <param name="zoom">Nearest-neighbour enlargement so 64-pixel drawings can be inspected.</param>
    public static byte[] EncodePng(IReadOnlyList<IReadOnlyList<byte[]>> rows, int size, int zoom = 1)
    {
        if (rows.Count == 0 || rows.All(r => r.Count == 0))
            throw new ArgumentException("A grid needs at least one image.", nameof(rows));
        var cell = size * zoom;
        const int gap = 2;
        var columns = rows.Max(r => r.Count);
        var width = columns * (cell + gap) + gap;
        var height = rows.Count * (cell + gap) + gap;
        var sheet = new byte[width * height];
        Array.Fill(sheet, Gutter);
        for (var r = 0; r < rows.Count; r++)
            for (var c = 0; c < rows[r].Count; c++)
            {
                var image = rows[r][c];
                if (image.Length != size * size)
                    throw new ArgumentException($"Grid image ({r}, {c}) has {image.Length} pixels, expected {size}×{size}.", nameof(rows));
                var x0 = gap + c * (cell + gap);
                var y0 = gap + r * (cell + gap);
                for (var y = 0; y < cell; y++)
                    for (var x = 0; x < cell; x++)
                        sheet[(y0 + y) * width + x0 + x] = image[y / zoom * size + x / zoom];
            }

        using var vips = VipsImage.FromPixels(sheet, width, height, 1);
        return vips.EncodePng(compression: 6);
    }

    /// <summary>A generator output (one channel in [−1, 1]) as grey pixels.</summary>
    public static byte[] ToPixels(ReadOnlySpan<float> plane)
    {
        var pixels = new byte[plane.Length];
        for (var i = 0; i < plane.Length; i++)
            pixels[i] = (byte)Math.Clamp(MathF.Round((plane[i] + 1f) * 127.5f), 0f, 255f);
        return pixels;
    }
}
