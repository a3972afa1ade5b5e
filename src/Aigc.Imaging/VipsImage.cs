using Aigc.Imaging.Kernels;
using Aigc.Imaging.Metadata;
using Aigc.Imaging.Native.Vips;

namespace Aigc.Imaging;

/// <summary>An immutable libvips image. Operations return new images; dispose each one you own.</summary>
public sealed unsafe class VipsImage : IDisposable
{
    private const int BandFormatUChar = 0;
    private const int InterpretationGrey = 1;
    private const int InterpretationSrgb = 22;

    // The 8-bit pixels this image was made from, when it owns them: the managed steps read them back from here
    // instead of through libvips' sink, which hands the work to its own threads for every image.
    private readonly byte[]? _pixels;

    internal VipsImage(VipsObjectHandle handle) => Handle = handle;

    private VipsImage(VipsObjectHandle handle, byte[] pixels)
    {
        Handle = handle;
        _pixels = pixels;
    }

    internal VipsObjectHandle Handle { get; }

    /// <summary>The libvips version in use, e.g. "8.14.1"; starts libvips if needed.</summary>
    public static string LibraryVersion => VipsRuntime.Version;

    public int Width => VipsNative.vips_image_get_width(Ptr);
    public int Height => VipsNative.vips_image_get_height(Ptr);
    public int Bands => VipsNative.vips_image_get_bands(Ptr);
    public bool HasAlpha => Bands is 2 or 4;

    /// <summary>True for 8-bit samples that mean sRGB (3–4 bands) or grey (1–2 bands): what every step expects.</summary>
    internal bool IsPlain8Bit =>
        VipsNative.vips_image_get_format(Ptr) == BandFormatUChar
        && VipsNative.vips_image_get_interpretation(Ptr) == (Bands >= 3 ? InterpretationSrgb : InterpretationGrey);

    internal bool HasMetadataField(string name) => VipsNative.vips_image_get_typeof(Ptr, name) != 0;

    /// <summary>The native pointer, for reads that cannot outlive this call; throws once disposed.</summary>
    private nint Ptr => Handle.IsClosed ? throw new ObjectDisposedException(nameof(VipsImage)) : Handle.DangerousGetHandle();

    /// <summary>Wraps 8-bit interleaved pixels (1 = grey, 2 = grey+alpha, 3 = RGB, 4 = RGBA), copying them.</summary>
    public static VipsImage FromPixels(ReadOnlySpan<byte> pixels, int width, int height, int bands) =>
        new(Wrap(pixels, width, height, bands));

    /// <summary>
    /// As <see cref="FromPixels"/>, taking over <paramref name="pixels"/>: the caller hands the array over and must not
    /// change it again, and the image gives it back to <see cref="Pixels"/> without computing anything.
    /// </summary>
    internal static VipsImage FromOwnedPixels(byte[] pixels, int width, int height, int bands) =>
        new(Wrap(pixels, width, height, bands), pixels);

    private static VipsObjectHandle Wrap(ReadOnlySpan<byte> pixels, int width, int height, int bands)
    {
        if (width < 1 || height < 1) throw new ArgumentOutOfRangeException(nameof(width), $"Image size {width}×{height} must be positive.");
        if (bands is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(bands), $"Bands must be 1 to 4, not {bands}.");
        if (pixels.Length != (long)width * height * bands)
            throw new ArgumentException($"Expected {(long)width * height * bands} bytes for {width}×{height}×{bands}, got {pixels.Length}.", nameof(pixels));
        VipsRuntime.EnsureStarted();
        nint raw;
        fixed (byte* p = pixels)
            raw = VipsNative.vips_image_new_from_memory_copy(p, (nuint)pixels.Length, width, height, bands, BandFormatUChar);
        if (raw == 0) throw new VipsException("image_new_from_memory_copy", VipsRuntime.TakeError());
        using var multiband = new VipsImage(new VipsObjectHandle(raw));
        // Memory images arrive as MULTIBAND; colour operations need to know what the bands mean.
        return multiband.Call("copy", ("interpretation", bands <= 2 ? "b-w" : "srgb")).Handle;
    }

    /// <summary>
    /// Converts a generator output, a CHW float32 tensor in [-1, 1] (1, 3 or 4 channels), into an 8-bit image
    /// without touching the file system. Values outside the range are clamped; NaN or infinity is an error.
    /// </summary>
    public static VipsImage FromTensor(ReadOnlySpan<float> chw, int channels, int height, int width)
    {
        if (channels is not (1 or 3 or 4)) throw new ArgumentOutOfRangeException(nameof(channels), $"A tensor image needs 1, 3 or 4 channels, not {channels}.");
        if (height < 1 || width < 1) throw new ArgumentOutOfRangeException(nameof(height), $"Tensor size {height}×{width} must be positive.");
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
        if (values.Length != width * height) throw new ArgumentException($"A {width}×{height} matrix needs {width * height} values, got {values.Length}.", nameof(values));
        VipsRuntime.EnsureStarted();
        nint raw;
        fixed (double* p = values)
            raw = VipsNative.vips_image_new_matrix_from_array(width, height, p, values.Length);
        if (raw == 0) throw new VipsException("image_new_matrix_from_array", VipsRuntime.TakeError());
        VipsNative.vips_image_set_double(raw, "scale", scale);
        return new VipsImage(new VipsObjectHandle(raw));
    }

    /// <summary>Rasterises an SVG document to exactly <paramref name="width"/>×<paramref name="height"/> RGBA, scaled to fit and centred.</summary>
    public static VipsImage FromSvg(string svg, int width, int height)
    {
        ArgumentException.ThrowIfNullOrEmpty(svg);
        if (width < 1 || height < 1) throw new ArgumentOutOfRangeException(nameof(width), $"SVG size {width}×{height} must be positive.");
        var bytes = System.Text.Encoding.UTF8.GetBytes(svg);
        double scale;
        using (var natural = VipsOperation.Image("svgload_buffer", ("buffer", bytes)))
            scale = Math.Min((double)width / natural.Width, (double)height / natural.Height);
        using var scaled = VipsOperation.Image("svgload_buffer", ("buffer", bytes), ("scale", scale));
        if (scaled.Width == width && scaled.Height == height)
            return scaled.Call("copy");
        return scaled.Call("gravity", ("direction", "centre"), ("width", width), ("height", height), ("extend", "background"), ("background", new double[] { 0, 0, 0, 0 }));
    }

    /// <summary>Decodes an untrusted PNG, JPEG or WebP; see <see cref="ImageDecoder"/>.</summary>
    public static VipsImage Decode(ReadOnlySpan<byte> bytes, ImageLimits? limits = null) => ImageDecoder.Decode(bytes, limits ?? ImageLimits.Default);

    /// <summary>Runs a one-image operation with this image as "in" and returns its "out".</summary>
    public VipsImage Call(string operation, params ReadOnlySpan<(string Name, object Value)> arguments)
    {
        var all = new (string, object)[arguments.Length + 1];
        all[0] = ("in", this);
        arguments.CopyTo(all.AsSpan(1));
        return VipsOperation.Image(operation, all);
    }

    /// <summary>Lays any alpha over a solid background colour; an image without alpha comes back unchanged.</summary>
    public VipsImage Flatten(byte red = 255, byte green = 255, byte blue = 255) =>
        HasAlpha ? Call("flatten", ("background", Bands == 2 ? new double[] { red } : [red, green, blue])) : Call("copy");

    /// <summary>One band of 8-bit luminance (alpha dropped; flatten first to keep its effect).</summary>
    public VipsImage ToGreyscale()
    {
        using var grey = Call("colourspace", ("space", "b-w"));
        return grey.Call("extract_band", ("band", 0));
    }

    /// <summary>
    /// PNG at a zlib level, or with zlib's run-length matching (see <see cref="PngEncoder"/>). Images that are not plain
    /// 8-bit are written by libvips, at the level, with the "sub" filter: it has no run-length matching.
    /// </summary>
    public byte[] EncodePng(int compression = 2, PngText? text = null, bool runLength = false)
    {
        if (IsPlain8Bit) return PngEncoder.Encode(Pixels, Width, Height, Bands, compression, text, runLength);
        var png = VipsOperation.Blob("pngsave_buffer", ("in", this), ("compression", compression), ("filter", "sub"), ("strip", true));
        return text is null ? png : PngChunks.WithInternationalText(png, text);
    }

    public byte[] EncodeJpeg(int quality = 90)
    {
        using var opaque = Flatten();
        return VipsOperation.Blob("jpegsave_buffer", ("in", opaque), ("Q", quality), ("strip", true));
    }

    public byte[] EncodeWebp(int quality = 85, bool lossless = false) =>
        VipsOperation.Blob("webpsave_buffer", ("in", this), ("Q", quality), ("lossless", lossless), ("strip", true));

    /// <summary>Computes the image and returns its pixels as interleaved 8-bit samples (Width × Height × Bands).</summary>
    public byte[] ToPixels() => _pixels?.ToArray() ?? Compute();

    /// <summary>The pixels as <see cref="ToPixels"/> gives them, without a copy when this image owns them; read-only.</summary>
    internal ReadOnlySpan<byte> Pixels => _pixels ?? Compute();

    private byte[] Compute()
    {
        if (VipsNative.vips_image_get_format(Ptr) != BandFormatUChar)
        {
            using var uchar = Call("cast", ("format", "uchar"));
            return uchar.Compute();
        }
        var data = VipsNative.vips_image_write_to_memory(Ptr, out var size);
        if (data == null) throw new VipsException("image_write_to_memory", VipsRuntime.TakeError());
        try
        {
            return new ReadOnlySpan<byte>(data, checked((int)size)).ToArray();
        }
        finally
        {
            GObjectNative.g_free(data);
        }
    }

    /// <summary>Decodes every pixel now, so damage in the data surfaces here rather than in a later step.</summary>
    public VipsImage CopyToMemory()
    {
        var copy = VipsNative.vips_image_copy_memory(Ptr);
        if (copy == 0) throw new VipsException("image_copy_memory", VipsRuntime.TakeError());
        return new VipsImage(new VipsObjectHandle(copy));
    }

    public void Dispose() => Handle.Dispose();
}
