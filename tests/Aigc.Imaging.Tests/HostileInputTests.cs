using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Aigc.Imaging.Tests;

/// <summary>Every accepted format, every kind of bad file: a clear <see cref="ImageRejectedException"/>, never a crash.</summary>
public class HostileInputTests
{
    public static TheoryData<ImageFormat, string> Cases()
    {
        var data = new TheoryData<ImageFormat, string>();
        foreach (var format in Enum.GetValues<ImageFormat>())
            foreach (var kind in new[] { "zero-byte", "truncated", "garbage", "huge-dimensions", "header-only" })
                data.Add(format, kind);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Hostile_file_is_rejected_with_a_clear_message(ImageFormat format, string kind)
    {
        var bytes = kind switch
        {
            "zero-byte" => [],
            "truncated" => Truncated(format),
            "garbage" => Garbage(format),
            "huge-dimensions" => HugeDimensions(format),
            _ => Valid(format)[..Math.Min(40, Valid(format).Length)],
        };
        var e = Assert.Throws<ImageRejectedException>(() => VipsImage.Decode(bytes).Dispose());
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
        var expected = kind switch
        {
            "zero-byte" => "empty",
            "huge-dimensions" => "It was not decoded",
            _ => format.DisplayName(),
        };
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData(ImageFormat.Png, "photo.jpg")]
    [InlineData(ImageFormat.Jpeg, "photo.webp")]
    [InlineData(ImageFormat.Webp, "photo.png")]
    public void Wrong_extension_does_not_matter_the_content_decides(ImageFormat format, string name)
    {
        var path = Path.Combine(Path.GetTempPath(), $"aigc-{Guid.NewGuid():N}-{name}");
        File.WriteAllBytes(path, Valid(format));
        try
        {
            var bytes = File.ReadAllBytes(path);
            Assert.Equal(format, ImageFormatSniffer.Detect(bytes));
            using var image = VipsImage.Decode(bytes);
            Assert.Equal(48, image.Width);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000;")]
    [InlineData("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"/>")]
    [InlineData("%PDF-1.4 not an image")]
    [InlineData("P6\n1 1\n255\n\u0000\u0000\u0000")]
    public void Other_formats_named_as_images_are_refused_by_content(string content)
    {
        var e = Assert.Throws<ImageRejectedException>(() => VipsImage.Decode(Encoding.Latin1.GetBytes(content)).Dispose());
        Assert.Contains("not a PNG, JPEG or WebP", e.Message);
    }

    [Fact]
    public void A_decompression_bomb_is_refused_before_decoding()
    {
        // 4000×4000 black compresses to a few kB: small file, 16 Mpx of pixels.
        using var black = Samples.Solid(4000, 4000, 0, 0, 0);
        var png = black.EncodePng(9);
        Assert.True(png.Length < 200_000, $"bomb is {png.Length} bytes");
        var e = Assert.Throws<ImageRejectedException>(() => VipsImage.Decode(png, ImageLimits.Default with { MaxPixels = 1_000_000 }).Dispose());
        Assert.Contains("declares 4000×4000 pixels", e.Message);
        Assert.Contains("MaxPixels", e.Message);
    }

    [Fact]
    public void Files_over_the_byte_limit_are_refused_unread()
    {
        var e = Assert.Throws<ImageRejectedException>(() => VipsImage.Decode(Valid(ImageFormat.Png), ImageLimits.Default with { MaxBytes = 100 }).Dispose());
        Assert.Contains("MaxUploadBytes", e.Message);
    }

    [Fact]
    public void Width_and_height_limits_apply_separately()
    {
        var png = Valid(ImageFormat.Png);
        Assert.Contains("MaxWidth", Assert.Throws<ImageRejectedException>(() => VipsImage.Decode(png, ImageLimits.Default with { MaxWidth = 47 })).Message);
        Assert.Contains("MaxHeight", Assert.Throws<ImageRejectedException>(() => VipsImage.Decode(png, ImageLimits.Default with { MaxHeight = 31 })).Message);
    }

    private static byte[] Valid(ImageFormat format)
    {
        using var image = Samples.Noise(48, 32);
        return Samples.Encode(image, format);
    }

    private static byte[] Truncated(ImageFormat format)
    {
        using var image = Samples.Noise(160, 160);
        var bytes = Samples.Encode(image, format);
        return bytes[..(bytes.Length * 6 / 10)];
    }

    private static byte[] Garbage(ImageFormat format)
    {
        var valid = Valid(format);
        var bytes = new byte[4096];
        new Random(3).NextBytes(bytes);
        var keep = format == ImageFormat.Webp ? 16 : 8; // the signature, so the right decoder sees the garbage
        valid.AsSpan(0, keep).CopyTo(bytes);
        if (format == ImageFormat.Webp) BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)bytes.Length - 8);
        return bytes;
    }

    /// <summary>A valid file whose header is rewritten to claim a huge size; the pixel data stays tiny.</summary>
    private static byte[] HugeDimensions(ImageFormat format)
    {
        var bytes = Valid(format);
        switch (format)
        {
            case ImageFormat.Png:
                BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(16), 100_000);
                BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(20), 100_000);
                BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(29), Crc32.HashToUInt32(bytes.AsSpan(12, 17)));
                break;
            case ImageFormat.Jpeg:
                var sof = bytes.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
                Assert.True(sof > 0, "baseline JPEG has an SOF0 marker");
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(sof + 5), 60_000);
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(sof + 7), 60_000);
                break;
            default:
                // The VP8X canvas (24-bit width-1, height-1) and the VP8 frame header (14-bit sizes) must agree.
                if (Encoding.ASCII.GetString(bytes, 12, 4) == "VP8X")
                {
                    byte[] size = [0xFE, 0x3F, 0x00]; // 16383 - 1
                    size.CopyTo(bytes, 24);
                    size.CopyTo(bytes, 27);
                }
                var frame = bytes.AsSpan().IndexOf("VP8 "u8);
                Assert.True(frame > 0, "lossy WebP has a VP8 chunk");
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(frame + 14), 0x3FFF);
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(frame + 16), 0x3FFF);
                break;
        }
        return bytes;
    }
}
