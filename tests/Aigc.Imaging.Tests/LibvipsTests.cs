using NetVips;

namespace Aigc.Imaging.Tests;

/// <summary>What we rely on from libvips through NetVips: which copy loads, what is blocked, how failures read.</summary>
public class LibvipsTests
{
    [Fact]
    public void Starting_libvips_loads_no_dynamic_modules_and_so_no_second_sqlite()
    {
        Libvips.EnsureStarted();
        var mapped = File.ReadAllLines("/proc/self/maps");
        Assert.DoesNotContain(mapped, line => line.Contains("vips-modules", StringComparison.Ordinal));
        Assert.DoesNotContain(mapped, line => line.Contains("libsqlite3.so", StringComparison.Ordinal));
    }

    [Fact]
    public void The_libvips_in_use_is_the_bundled_8_18_not_a_system_copy()
    {
        Assert.StartsWith("8.18.", VipsImage.LibraryVersion);
        var path = VipsImage.LibraryPath;
        Assert.NotNull(path);
        // Restored from the NuGet package (tests) or copied next to the application (publish), never from apt.
        Assert.True(path.Contains("netvips.native.linux-x64", StringComparison.Ordinal)
                    || path.StartsWith(AppContext.BaseDirectory, StringComparison.Ordinal), $"libvips was loaded from {path}");
        var mapped = File.ReadAllLines("/proc/self/maps");
        Assert.DoesNotContain(mapped, line =>
            line.Contains("libvips.so", StringComparison.Ordinal) && !line.EndsWith(path, StringComparison.Ordinal));
        // The bundled libvips carries GLib inside it: the system's GLib is not loaded either.
        Assert.DoesNotContain(mapped, line => line.Contains("libglib-2.0.so", StringComparison.Ordinal));
    }

    [Fact]
    public void A_failed_operation_carries_libvips_reason_on_one_line()
    {
        using var image = Samples.Solid(10, 10, 1, 2, 3);
        var e = Assert.Throws<VipsException>(() => image.Apply(i => i.ExtractArea(5, 5, 20, 20)).Dispose());
        Assert.Contains("extract_area", e.Message);
        var reason = Libvips.Reason(e);
        Assert.Contains("bad extract area", reason);
        Assert.DoesNotContain('\n', reason);
    }

    [Fact]
    public void Pixels_round_trip_through_png_jpeg_and_webp()
    {
        using var image = Samples.Solid(8, 6, 200, 100, 50);
        foreach (var format in Enum.GetValues<ImageFormat>())
        {
            var pixels = Pixels.Of(Samples.Encode(image, format));
            Assert.Equal((8, 6), (pixels.Width, pixels.Height));
            var (r, g, b) = pixels.Rgb(4, 3);
            Assert.InRange(r, 195, 205);
            Assert.InRange(g, 95, 105);
            Assert.InRange(b, 45, 55);
        }
    }

    [Fact]
    public void Parallel_runs_give_identical_results()
    {
        using var part = Samples.Part();
        var expected = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Render(part)));
        var hashes = new string[16];
        Parallel.For(0, hashes.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            i => hashes[i] = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Render(part))));
        Assert.All(hashes, h => Assert.Equal(expected, h));

        static byte[] Render(VipsImage source)
        {
            using var big = source.Apply(i => i.Resize(4.0, Enums.Kernel.Lanczos3));
            return big.EncodePng();
        }
    }

    [Fact]
    public void Svg_is_rasterised_at_the_requested_size()
    {
        const string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"20\"><rect width=\"10\" height=\"20\" fill=\"#ff0000\"/></svg>";
        using var image = VipsImage.FromSvg(svg, 40, 40);
        var pixels = new Pixels(image);
        Assert.Equal((40, 40, 4), (pixels.Width, pixels.Height, pixels.Bands));
        Assert.Equal((255, 0, 0, 255), (pixels[20, 20, 0], pixels[20, 20, 1], pixels[20, 20, 2], pixels[20, 20, 3]));
        Assert.Equal(0, pixels[2, 20, 3]); // scaled to fit (20×40) and centred: the sides stay transparent
    }

    [Fact]
    public void The_ImageMagick_loader_is_absent()
    {
        var gif = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");
        Libvips.EnsureStarted();
        var magick = Assert.Throws<VipsException>(() => Operation.Call("magickload_buffer", gif));
        Assert.Contains("magickload_buffer", magick.Message);
    }

    [Theory]
    [InlineData("csvload_source", "1,2\n3,4\n")]
    [InlineData("vipsload_source", "not a vips file")]
    // Only the buffer SVG loader is unblocked, for our own SVG; the others stay blocked.
    [InlineData("svgload_source", "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4\" height=\"4\"/>")]
    public void Untrusted_loaders_are_blocked(string loader, string content)
    {
        Libvips.EnsureStarted();
        using var source = Source.NewFromMemory(System.Text.Encoding.ASCII.GetBytes(content));
        var e = Assert.Throws<VipsException>(() => Operation.Call(loader, source));
        Assert.Contains("blocked", e.Message);
    }

    [Fact]
    public void Malformed_svg_is_an_error()
    {
        var e = Assert.Throws<VipsException>(() => VipsImage.FromSvg("<svg", 10, 10));
        Assert.Contains("svgload_buffer", e.Message);
    }
}

public class DecodeNormalisationTests
{
    [Fact]
    public void Sixteen_bit_png_decodes_to_the_same_8_bit_values()
    {
        using var rgb = Samples.Solid(4, 4, 200, 100, 50);
        using var rgb16 = rgb.Apply(i => i.Cast(Enums.BandFormat.Ushort).Linear([257], [0])
            .Cast(Enums.BandFormat.Ushort).Copy(interpretation: Enums.Interpretation.Rgb16));
        var png = rgb16.Native.PngsaveBuffer(bitdepth: 16);
        var pixels = Pixels.Of(png);
        Assert.Equal(((byte)200, (byte)100, (byte)50), pixels.Rgb(1, 1));
    }

    [Fact]
    public void Exif_orientation_is_applied()
    {
        using var wide = Samples.Solid(40, 20, 10, 20, 30);
        // Orientation 6: the camera was turned 90°, so the upright image is 20×40.
        using var tagged = wide.Apply(i => i.Mutate(m => m.Set(GValue.GIntType, "orientation", 6)));
        var jpeg = tagged.Native.JpegsaveBuffer();
        using var decoded = VipsImage.Decode(jpeg);
        Assert.Equal((20, 40), (decoded.Width, decoded.Height));
    }

    [Fact]
    public void Cmyk_jpeg_decodes_to_three_band_srgb()
    {
        using var rgb = Samples.Solid(8, 8, 250, 250, 250);
        using var cmyk = rgb.Apply(i => i.Colourspace(Enums.Interpretation.Cmyk));
        var jpeg = cmyk.Native.JpegsaveBuffer();
        using var decoded = VipsImage.Decode(jpeg);
        Assert.Equal(3, decoded.Bands);
        Assert.True(new Pixels(decoded).Luma(4, 4) > 200);
    }

    [Fact]
    public void Flatten_and_greyscale_for_dataset_rendering()
    {
        const string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"64\" height=\"64\"><circle cx=\"32\" cy=\"32\" r=\"16\" fill=\"#000000\"/></svg>";
        using var rgba = VipsImage.FromSvg(svg, 64, 64);
        using var flat = rgba.Flatten();
        using var grey = flat.ToGreyscale();
        var pixels = Pixels.Of(grey.EncodePng());
        Assert.Equal((64, 64, 1), (pixels.Width, pixels.Height, pixels.Bands));
        Assert.Equal(0, pixels[32, 32, 0]);
        Assert.Equal(255, pixels[2, 2, 0]);
    }

    [Fact]
    public void A_cropped_thumbnail_fills_the_square_and_a_plain_one_fits_inside_it()
    {
        using var wide = Samples.Solid(80, 40, 10, 20, 30);
        using var fitted = wide.Thumbnail(32, 32);
        using var cropped = wide.Thumbnail(32, 32, crop: true);
        Assert.Equal((32, 16), (fitted.Width, fitted.Height));
        Assert.Equal((32, 32), (cropped.Width, cropped.Height));
    }
}

public class DisposalTests
{
    [Fact]
    public void A_disposed_image_is_refused_not_dereferenced()
    {
        var image = Samples.Solid(4, 4, 1, 2, 3);
        using var other = Samples.Solid(4, 4, 1, 2, 3);
        image.Dispose();
        Assert.Throws<ObjectDisposedException>(() => image.Width);
        Assert.Throws<ObjectDisposedException>(() => image.Apply(i => i.Invert()));
        Assert.Throws<ObjectDisposedException>(() => other.Apply(i => i.Bandjoin(image.Native)));
    }
}
