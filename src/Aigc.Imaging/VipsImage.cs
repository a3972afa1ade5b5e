using System.Runtime.CompilerServices;
using Aigc.Imaging.Kernels;
using Aigc.Imaging.Metadata;
using NetVips;

namespace Aigc.Imaging;

/// <summary>
/// An immutable image: a NetVips image plus, when it was made from our own 8-bit pixels, those pixels. Operations
/// return new images; dispose each one you own.
/// </summary>
public sealed class VipsImage : IDisposable
{
    // The 8-bit pixels this image was made from, when it owns them: the managed steps read them back from here
    // instead of through libvips' sink, which hands the work to its own threads for every image.
    private readonly byte[]? _pixels;
    private readonly Image _native;

    internal VipsImage(Image native) => _native = native;

    private VipsImage(Image native, byte[] pixels)
    {
        _native = native;
        _pixels = pixels;
    }

    /// <summary>The NetVips image, for operations inside this assembly; throws once disposed.</summary>
    internal Image Native => _native.IsClosed ? throw new ObjectDisposedException(nameof(VipsImage)) : _native;

    /// <summary>The libvips version in use, e.g. "8.18.7"; starts libvips if needed.</summary>
    public static string LibraryVersion => Libvips.Version;

    /// <summary>The file libvips was loaded from (NetVips.Native's copy), or null if it is not mapped.</summary>
    public static string? LibraryPath => Libvips.LoadedFrom;

    public int Width => Native.Width;
    public int Height => Native.Height;
    public int Bands => Native.Bands;
    public bool HasAlpha => Bands is 2 or 4;

    /// <summary>True for 8-bit samples that mean sRGB (3–4 bands) or grey (1–2 bands): what every step expects.</summary>
    internal bool IsPlain8Bit =>
        Native.Format == Enums.BandFormat.Uchar
        && Native.Interpretation == (Bands >= 3 ? Enums.Interpretation.Srgb : Enums.Interpretation.Bw);

    /// <summary>Runs one NetVips operation on this image and wraps its result (which the new image owns).</summary>
    internal VipsImage Apply(Func<Image, Image> operation) => new(operation(Native));

    /// <summary>Wraps 8-bit interleaved pixels (1 = grey, 2 = grey+alpha, 3 = RGB, 4 = RGBA), copying them.</summary>
    public static VipsImage FromPixels(ReadOnlySpan<byte> pixels, int width, int height, int bands) =>
        new(Wrap(pixels, width, height, bands));

    /// <summary>
    /// As <see cref="FromPixels"/>, taking over <paramref name="pixels"/>: the caller hands the array over and must not
    /// change it again, and the image gives it back to <see cref="Pixels"/> without computing anything.
    /// </summary>
    internal static VipsImage FromOwnedPixels(byte[] pixels, int width, int height, int bands) =>
        new(Wrap(pixels, width, height, bands), pixels);

    private static Image Wrap(ReadOnlySpan<byte> pixels, int width, int height, int bands)
    {
        if (width < 1 || height < 1)
            throw new ArgumentOutOfRangeException(nameof(width), $"Image size {width}×{height} must be positive.");
        if (bands is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(bands), $"Bands must be 1 to 4, not {bands}.");
        if (pixels.Length != (long)width * height * bands)
            throw new ArgumentException(
                $"Expected {(long)width * height * bands} bytes for {width}×{height}×{bands}, got {pixels.Length}.",
                nameof(pixels));
        Libvips.EnsureStarted();
        // Copied, so nothing has to stay pinned while libvips holds the image.
        using var multiband = Image.NewFromMemoryCopy(pixels, width, height, bands, Enums.BandFormat.Uchar);
        // Memory images arrive as MULTIBAND; colour operations need to know what the bands mean.
        return multiband.Copy(interpretation: bands <= 2 ? Enums.Interpretation.Bw : Enums.Interpretation.Srgb);
    }

    /// <summary>
    /// Converts a generator output, a CHW float32 tensor in [-1, 1] (1, 3 or 4 channels), into an 8-bit image
    /// without touching the file system. Values outside the range are clamped; NaN or infinity is an error.
    /// </summary>
    // Compiled optimised at first call, not after a minute of tier-0 code: decision 0024.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static VipsImage FromTensor(ReadOnlySpan<float> chw, int channels, int height, int width)
    {
        if (channels is not (1 or 3 or 4))
            throw new ArgumentOutOfRangeException(nameof(channels),
                $"A tensor image needs 1, 3 or 4 channels, not {channels}.");
        if (height < 1 || width < 1)
            throw new ArgumentOutOfRangeException(nameof(height), $"Tensor size {height}×{width} must be positive.");
        var plane = height * width;
        if (chw.Length != (long)channels * plane)
            throw new ArgumentException($"A {channels}×{height}×{width} tensor has {channels * plane} values, got {chw.Length}.", nameof(chw));
        var pixels = new byte[chw.Length];
        for (var c = 0; c < channels; c++)
        {
            var source = chw.Slice(c * plane, plane);
            for (var i = 0; i < plane; i++)
            {
                var v = source[i];
                if (!float.IsFinite(v)) throw new ArgumentException($"Tensor value at channel {c}, index {i} is {v}.", nameof(chw));
                pixels[i * channels + c] = (byte)Math.Clamp(MathF.Round((v + 1f) * 127.5f), 0f, 255f);
            }
        }
        return FromOwnedPixels(pixels, width, height, channels);
    }

    /// <summary>A convolution mask: <paramref name="values"/> row-major, the result divided by <paramref name="scale"/>.</summary>
    public static VipsImage Matrix(int width, int height, ReadOnlySpan<double> values, double scale = 1)
    {
        if (values.Length != width * height)
            throw new ArgumentException(
                $"A {width}×{height} matrix needs {width * height} values, got {values.Length}.", nameof(values));
        Libvips.EnsureStarted();
        var rows = new double[height, width];
        for (var i = 0; i < values.Length; i++) rows[i / width, i % width] = values[i];
        return new VipsImage(Image.NewFromArray(rows, scale));
    }

    /// <summary>Rasterises an SVG document to exactly <paramref name="width"/>×<paramref name="height"/> RGBA, scaled to fit and centred.</summary>
    public static VipsImage FromSvg(string svg, int width, int height)
    {
        ArgumentException.ThrowIfNullOrEmpty(svg);
        if (width < 1 || height < 1)
            throw new ArgumentOutOfRangeException(nameof(width), $"SVG size {width}×{height} must be positive.");
        Libvips.EnsureStarted();
        var bytes = System.Text.Encoding.UTF8.GetBytes(svg);
        double scale;
        using (var natural = Image.SvgloadBuffer(bytes))
            scale = Math.Min((double)width / natural.Width, (double)height / natural.Height);
        using var scaled = Image.SvgloadBuffer(bytes, scale: scale);
        if (scaled.Width == width && scaled.Height == height)
            return new VipsImage(scaled.Copy());
        return new VipsImage(
            scaled.Gravity(Enums.CompassDirection.Centre, width, height, Enums.Extend.Background, [0, 0, 0, 0]));
    }

    /// <summary>Decodes an untrusted PNG, JPEG or WebP; see <see cref="ImageDecoder"/>.</summary>
    public static VipsImage Decode(ReadOnlySpan<byte> bytes, ImageLimits? limits = null) => ImageDecoder.Decode(bytes, limits ?? ImageLimits.Default);

    /// <summary>Lays any alpha over a solid background colour; an image without alpha comes back unchanged.</summary>
    public VipsImage Flatten(byte red = 255, byte green = 255, byte blue = 255) =>
        HasAlpha ? Apply(i => i.Flatten(Bands == 2 ? [red] : [red, green, blue])) : Apply(i => i.Copy());

    /// <summary>One band of 8-bit luminance (alpha dropped; flatten first to keep its effect).</summary>
    public VipsImage ToGreyscale()
    {
        using var grey = Native.Colourspace(Enums.Interpretation.Bw);
        return new VipsImage(grey.ExtractBand(0));
    }

    /// <summary>
    /// Fits the image into <paramref name="width"/>×<paramref name="height"/> (libvips' thumbnail: shrink-on-load
    /// where it can, then a good reduction); with <paramref name="crop"/>, fills exactly that size, cropped centred.
    /// </summary>
    public VipsImage Thumbnail(int width, int height, bool crop = false) => crop
        ? Apply(i => i.ThumbnailImage(width, height, Enums.Size.Force, crop: Enums.Interesting.Centre))
        : Apply(i => i.ThumbnailImage(width, height));

    /// <summary>
    /// PNG at a zlib level, or with zlib's run-length matching (see <see cref="PngEncoder"/>). Images that are not plain
    /// 8-bit are written by libvips, at the level, with the "sub" filter: it has no run-length matching.
    /// </summary>
    public byte[] EncodePng(int compression = 2, PngText? text = null, bool runLength = false)
    {
        if (IsPlain8Bit) return PngEncoder.Encode(Pixels, Width, Height, Bands, compression, text, runLength);
        var png = Native.PngsaveBuffer(compression, filter: Enums.ForeignPngFilter.Sub, keep: Enums.ForeignKeep.None);
        return text is null ? png : PngChunks.WithInternationalText(png, text);
    }

    public byte[] EncodeJpeg(int quality = 90)
    {
        using var opaque = Flatten();
        return opaque.Native.JpegsaveBuffer(quality, keep: Enums.ForeignKeep.None);
    }

    public byte[] EncodeWebp(int quality = 85, bool lossless = false) =>
        Native.WebpsaveBuffer(quality, lossless, keep: Enums.ForeignKeep.None);

    /// <summary>Computes the image and returns its pixels as interleaved 8-bit samples (Width × Height × Bands).</summary>
    public byte[] ToPixels() => _pixels?.ToArray() ?? Compute();

    /// <summary>The pixels as <see cref="ToPixels"/> gives them, without a copy when this image owns them; read-only.</summary>
    internal ReadOnlySpan<byte> Pixels => _pixels ?? Compute();

    private byte[] Compute()
    {
        if (Native.Format == Enums.BandFormat.Uchar) return Native.WriteToMemory<byte>();
        using var uchar = Native.Cast(Enums.BandFormat.Uchar);
        return uchar.WriteToMemory<byte>();
    }

    /// <summary>Decodes every pixel now, so damage in the data surfaces here rather than in a later step.</summary>
    public VipsImage CopyToMemory() => Apply(i => i.CopyMemory());

    public void Dispose() => _native.Dispose();
}
