using NetVips;

namespace Aigc.Imaging.Sketches;

/// <summary>
/// A designer's drawing made ready for a model: any PNG, JPEG, WebP or SVG within the limits, dark lines on light
/// or light on dark, drawn on a transparent canvas or not, cropped to its lines and framed like the model's own
/// drawings (the lines' bounding box centred, its longer side <see cref="ContentFraction"/> of the frame).
/// The result is size×size values in [−1, 1] with bright lines on black, as the generator draws (decision 0005).
/// </summary>
public static class SketchInput
{
    /// <summary>How much of the frame the synthetic drawings' parts fill (their outlines span about 76 of 100 units).</summary>
    public const double ContentFraction = 0.76;

    /// <summary>The working resolution: large uploads are reduced to this first (a sketch needs no more).</summary>
    public const int WorkingSide = 512;

    private static readonly SafeSvg.Nouns Noun = new("sketch", "sketches", "a PNG, JPEG or WebP image");

    private static readonly HashSet<string> AllowedElements =
    [
        "svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "defs", "use", "symbol",
        "title", "desc", "clipPath", "mask",
    ];

    /// <summary>Throws <see cref="ImageRejectedException"/> with a message fit for the user.</summary>
    public static float[] Normalise(ReadOnlySpan<byte> bytes, int size, ImageLimits limits)
    {
        if (size is < 16 or > 1024)
            throw new ArgumentOutOfRangeException(nameof(size), $"Sketch size must be 16 to 1024 (got {size}).");
        if (bytes.IsEmpty)
            throw new ImageRejectedException("The sketch file is empty (0 bytes).");
        if (bytes.Length > limits.MaxBytes)
            throw new ImageRejectedException($"The sketch is {bytes.Length:N0} bytes; the limit is {limits.MaxBytes:N0}.");
        var (ink, width, height) = Ink(bytes, limits);
        return Frame(ink, width, height, size);
    }

    /// <summary>The drawing as ink coverage in [0, 1] per pixel at up to <see cref="WorkingSide"/> pixels.</summary>
    private static (float[] Ink, int Width, int Height) Ink(ReadOnlySpan<byte> bytes, ImageLimits limits)
    {
        using var decoded = ImageFormatSniffer.Detect(bytes) is null ? Svg(bytes) : ImageDecoder.Decode(bytes, limits);
        using var small = decoded.Width > WorkingSide || decoded.Height > WorkingSide
            ? decoded.Thumbnail(WorkingSide, WorkingSide)
            : decoded.CopyToMemory();
        var (w, h) = (small.Width, small.Height);
        var ink = new float[w * h];
        if (small.HasAlpha && MostlyTransparent(small))
        {
            // A transparent canvas: the strokes are where the paint is, whatever its colour.
            using var alpha = new VipsImage(small.Native.ExtractBand(small.Bands - 1));
            var a = alpha.ToPixels();
            for (var i = 0; i < ink.Length; i++)
                ink[i] = a[i] / 255f;
            return (ink, w, h);
        }

        using var flat = small.Flatten();
        using var grey = flat.ToGreyscale();
        var pixels = grey.ToPixels();
        // The background is most of the picture: a light one means dark lines, which become bright.
        var invert = Median(pixels) >= 128;
        var threshold = Otsu(pixels);
        for (var i = 0; i < ink.Length; i++)
        {
            var v = invert ? 255 - pixels[i] : pixels[i];
            var t = invert ? 255 - threshold : threshold;
            ink[i] = v > t ? 1f : 0f;
        }

        return (ink, w, h);
    }

    private static VipsImage Svg(ReadOnlySpan<byte> bytes)
    {
        var svg = SafeSvg.Sanitise(bytes, Noun, AllowedElements, 8192);
        Libvips.EnsureStarted();
        try
        {
            using var natural = Image.SvgloadBuffer(svg.Bytes);
            var scale = (double)WorkingSide / Math.Max(natural.Width, natural.Height);
            using var scaled = Image.SvgloadBuffer(svg.Bytes, scale: scale);
            return new VipsImage(scaled.CopyMemory());
        }
        catch (VipsException e)
        {
            throw new ImageRejectedException($"The SVG sketch could not be rendered: {Libvips.Reason(e)}", e);
        }
    }

    private static bool MostlyTransparent(VipsImage image)
    {
        using var alpha = new VipsImage(image.Native.ExtractBand(image.Bands - 1));
        var a = alpha.ToPixels();
        var clear = 0;
        foreach (var v in a)
            clear += v < 128 ? 1 : 0;
        return clear * 2 > a.Length;
    }

    private static int Median(byte[] pixels)
    {
        var histogram = new int[256];
        foreach (var p in pixels)
            histogram[p]++;
        var seen = 0;
        for (var v = 0; v < 256; v++)
            if ((seen += histogram[v]) * 2 >= pixels.Length)
                return v;
        return 255;
    }

    /// <summary>Otsu's threshold: the grey level that best separates lines from paper.</summary>
    private static int Otsu(byte[] pixels)
    {
        var histogram = new double[256];
        foreach (var p in pixels)
            histogram[p]++;
        double total = pixels.Length, sum = 0;
        for (var v = 0; v < 256; v++)
            sum += v * histogram[v];
        double below = 0, belowSum = 0, best = -1;
        var threshold = 127;
        for (var v = 0; v < 255; v++)
        {
            below += histogram[v];
            belowSum += v * histogram[v];
            var above = total - below;
            if (below == 0 || above == 0)
                continue;
            var between = below * above * Math.Pow(belowSum / below - (sum - belowSum) / above, 2);
            if (between > best)
                (best, threshold) = (between, v);
        }

        return threshold;
    }

    /// <summary>
    /// Crops to the ink's bounding box, centres it in a square whose side makes the box's longer side
    /// <see cref="ContentFraction"/> of it, and reduces to size². A cell is a line where any ink falls (at 75 %
    /// brightness) and fully bright where a third of it is inked, so thin pen strokes survive the reduction.
    /// </summary>
    private static float[] Frame(float[] ink, int width, int height, int size)
    {
        int left = width, top = height, right = -1, bottom = -1;
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                if (ink[y * width + x] >= 0.5f)
                    (left, top, right, bottom) = (Math.Min(left, x), Math.Min(top, y), Math.Max(right, x), Math.Max(bottom, y));
        if (right < 0)
            throw new ImageRejectedException("The sketch is empty: no lines were found in it.");
        var side = Math.Max(right - left + 1, bottom - top + 1) / ContentFraction;
        var cx = (left + right + 1) / 2.0;
        var cy = (top + bottom + 1) / 2.0;
        var cell = side / size;
        var result = new float[size * size];
        for (var ty = 0; ty < size; ty++)
            for (var tx = 0; tx < size; tx++)
            {
                var x0 = cx - side / 2 + tx * cell;
                var y0 = cy - side / 2 + ty * cell;
                double sum = 0, max = 0;
                var n = 0;
                for (var y = (int)Math.Floor(y0); y < (int)Math.Ceiling(y0 + cell); y++)
                    for (var x = (int)Math.Floor(x0); x < (int)Math.Ceiling(x0 + cell); x++)
                    {
                        var v = x < 0 || y < 0 || x >= width || y >= height ? 0 : ink[y * width + x];
                        sum += v;
                        max = Math.Max(max, v);
                        n++;
                    }

                var brightness = Math.Min(1, Math.Max(0.75 * max, 3 * sum / Math.Max(n, 1)));
                result[ty * size + tx] = (float)(2 * brightness - 1);
            }

        return result;
    }
}
