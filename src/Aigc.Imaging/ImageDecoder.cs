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
            throw new ImageRejectedException($"The {format.DisplayName()} file could not be read: {e.Message}", e);
        }

        using (header)
        {
            CheckDimensions(format, header.Width, header.Height, limits);
            try
            {
                return Normalise(header.CopyToMemory());
            }
            catch (VipsException e)
            {
                throw new ImageRejectedException($"The {format.DisplayName()} file is damaged or truncated: {e.Message}", e);
            }
        }
    }

    /// <summary>
    /// Upright 8-bit sRGB or grey, alpha kept: applies the EXIF orientation, and converts CMYK JPEGs and 16-bit
    /// PNGs, so every step can assume 8-bit samples with the usual meaning of their bands.
    /// </summary>
    private static VipsImage Normalise(VipsImage decoded)
    {
        // Most uploads and all our own files need neither step; skipping them saves two operations per decode.
        var image = decoded;
        try
        {
            if (image.HasMetadataField("orientation")) image = Replace(image, image.Call("autorot"));
            if (!image.IsPlain8Bit) image = Replace(image, image.Call("colourspace", ("space", image.Bands >= 3 ? "srgb" : "b-w")));
            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }

        static VipsImage Replace(VipsImage old, VipsImage next)
        {
            old.Dispose();
            return next;
        }
    }

    private static void CheckDimensions(ImageFormat format, int width, int height, ImageLimits limits)
    {
        string? broken = null;
        if (width > limits.MaxWidth) broken = $"its width exceeds MaxWidth ({limits.MaxWidth})";
        else if (height > limits.MaxHeight) broken = $"its height exceeds MaxHeight ({limits.MaxHeight})";
        else if ((long)width * height > limits.MaxPixels) broken = $"its pixel count exceeds MaxPixels ({limits.MaxPixels:N0})";
        if (broken is not null)
            throw new ImageRejectedException($"The {format.DisplayName()} image declares {width}×{height} pixels; {broken}. It was not decoded.");
    }
}
