using NetVips;

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

        Libvips.EnsureStarted();
        var buffer = bytes.ToArray();
        // The loader is chosen by name from the content: user bytes never reach libvips' generic loader search.
        Image header;
        try
        {
            header = format switch
            {
                ImageFormat.Png => Image.PngloadBuffer(buffer, failOn: Enums.FailOn.Truncated),
                ImageFormat.Jpeg => Image.JpegloadBuffer(buffer, failOn: Enums.FailOn.Truncated),
                _ => Image.WebploadBuffer(buffer, failOn: Enums.FailOn.Truncated),
            };
        }
        catch (VipsException e)
        {
            throw new ImageRejectedException(
                $"The {format.DisplayName()} file could not be read: {Libvips.Reason(e)}", e);
        }

        using (header)
        {
            CheckDimensions(format, header.Width, header.Height, limits);
            try
            {
                return Normalise(new VipsImage(header.CopyMemory()));
            }
            catch (VipsException e)
            {
                throw new ImageRejectedException(
                    $"The {format.DisplayName()} file is damaged or truncated: {Libvips.Reason(e)}", e);
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
            if (image.Native.Contains("orientation")) image = Replace(image, image.Apply(i => i.Autorot()));
            if (!image.IsPlain8Bit)
            {
                var space = image.Bands >= 3 ? Enums.Interpretation.Srgb : Enums.Interpretation.Bw;
                image = Replace(image, image.Apply(i => i.Colourspace(space)));
            }
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
