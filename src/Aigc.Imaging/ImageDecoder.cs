using Aigc.Imaging.Native.Vips;

namespace Aigc.Imaging;

/// <summary>
/// The one way untrusted bytes become an image: size check, format by content, header-only load, dimension
/// limits (a decompression bomb is refused before its pixels are decoded), then a full decode that fails on truncation.
/// </summary>
public static class ImageDecoder
{
    public static VipsImage Decode(ReadOnlySpan<byte> bytes, ImageLimits limits)
    {
        if (bytes.IsEmpty) throw new ImageRejectedException("The file is empty (0 bytes).");
        if (bytes.Length > limits.MaxBytes)
            throw new ImageRejectedException($"The file is {bytes.Length:N0} bytes; the limit (MaxUploadBytes) is {limits.MaxBytes:N0}.");
        var format = ImageFormatSniffer.Detect(bytes)
            ?? throw new ImageRejectedException("The file is not a PNG, JPEG or WebP image (judged by its content, not its name).");

        var loader = format switch
        {
            ImageFormat.Png => "pngload_buffer",
            ImageFormat.Jpeg => "jpegload_buffer",
            _ => "webpload_buffer",
        };
        VipsImage header;
        try
        {
            header = VipsOperation.Image(loader, ("buffer", bytes.ToArray()), ("fail_on", "truncated"));
        }
        catch (VipsException e)
        {
            throw new ImageRejectedException($"The {format} file could not be read: {e.Message}", e);
        }

        using (header)
        {
            CheckDimensions(format, header.Width, header.Height, limits);
            try
            {
                using var decoded = header.CopyToMemory();
                return Normalise(decoded);
            }
            catch (VipsException e)
            {
                throw new ImageRejectedException($"The {format} file is damaged or truncated: {e.Message}", e);
            }
        }
    }

    /// <summary>
    /// Upright 8-bit sRGB or grey, alpha kept: applies the EXIF orientation, and converts CMYK JPEGs and 16-bit
    /// PNGs, so every step can assume 8-bit samples with the usual meaning of their bands.
    /// </summary>
    private static VipsImage Normalise(VipsImage image)
    {
        using var upright = image.Call("autorot");
        return upright.Call("colourspace", ("space", upright.Bands >= 3 ? "srgb" : "b-w"));
    }

    private static void CheckDimensions(ImageFormat format, int width, int height, ImageLimits limits)
    {
        string? broken = null;
        if (width > limits.MaxWidth) broken = $"its width exceeds MaxWidth ({limits.MaxWidth})";
        else if (height > limits.MaxHeight) broken = $"its height exceeds MaxHeight ({limits.MaxHeight})";
        else if ((long)width * height > limits.MaxPixels) broken = $"its pixel count exceeds MaxPixels ({limits.MaxPixels:N0})";
        if (broken is not null)
            throw new ImageRejectedException($"The {format} image declares {width}×{height} pixels; {broken}. It was not decoded.");
    }
}
