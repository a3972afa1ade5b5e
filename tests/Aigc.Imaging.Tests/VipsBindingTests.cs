using Aigc.Imaging.Native.Vips;

namespace Aigc.Imaging.Tests;

public class VipsBindingTests
{
    [Fact]
    public void Unknown_operation_raises_an_exception_naming_it()
    {
        var e = Assert.Throws<VipsException>(() => VipsOperation.Image("no_such_operation"));
        Assert.Equal("no_such_operation", e.Operation);
        Assert.Contains("no_such_operation", e.Message);
    }

    [Fact]
    public void Failed_build_carries_the_operation_and_libvips_reason()
    {
        using var image = Samples.Solid(10, 10, 1, 2, 3);
        var e = Assert.Throws<VipsException>(() => VipsOperation.Image("extract_area", ("input", image), ("left", 5), ("top", 5), ("width", 20), ("height", 20)));
        Assert.Equal("extract_area", e.Operation);
        Assert.Contains("bad extract area", e.Message);
    }

    [Fact]
    public void Unknown_argument_and_bad_enum_nick_are_rejected_before_running()
    {
        using var image = Samples.Solid(10, 10, 1, 2, 3);
        var unknown = Assert.Throws<ArgumentException>(() => image.Call("resize", ("scale", 2.0), ("colour", 1)));
        Assert.Contains("no argument named 'colour'", unknown.Message);
        var nick = Assert.Throws<ArgumentException>(() => image.Call("resize", ("scale", 2.0), ("kernel", "sinc")));
        Assert.Contains("'sinc' is not a valid VipsKernel", nick.Message);
        var type = Assert.Throws<ArgumentException>(() => image.Call("resize", ("scale", "two")));
        Assert.Contains("'scale'", type.Message);
    }

    [Fact]
    public void Generic_call_reads_scalar_and_array_outputs()
    {
        using var image = Samples.Solid(4, 4, 10, 20, 30);
        var average = (double)VipsOperation.Call("avg", [("in", image)], "out")[0]!;
        Assert.Equal(20, average, 6);
        var point = (double[])VipsOperation.Call("getpoint", [("in", image), ("x", 1), ("y", 2)], "out-array")[0]!;
        Assert.Equal(new double[] { 10, 20, 30 }, point);
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
            using var big = source.Call("resize", ("scale", 4.0), ("kernel", "lanczos3"));
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
    public void Malformed_svg_is_an_error()
    {
        var e = Assert.Throws<VipsException>(() => VipsImage.FromSvg("<svg", 10, 10));
        Assert.Equal("svgload_buffer", e.Operation);
    }
}

public class DecodeNormalisationTests
{
    [Fact]
    public void Sixteen_bit_png_decodes_to_the_same_8_bit_values()
    {
        using var rgb = Samples.Solid(4, 4, 200, 100, 50);
        using var wide = rgb.Call("cast", ("format", "ushort"));
        using var scaled = wide.Call("linear", ("a", new double[] { 257 }), ("b", new double[] { 0 }));
        using var ushorts = scaled.Call("cast", ("format", "ushort"));
        using var rgb16 = ushorts.Call("copy", ("interpretation", "rgb16"));
        var png = Native.Vips.VipsOperation.Blob("pngsave_buffer", ("in", rgb16), ("bitdepth", 16));
        var pixels = Pixels.Of(png);
        Assert.Equal(((byte)200, (byte)100, (byte)50), pixels.Rgb(1, 1));
    }

    [Fact]
    public void Cmyk_jpeg_decodes_to_three_band_srgb()
    {
        using var rgb = Samples.Solid(8, 8, 250, 250, 250);
        using var cmyk = rgb.Call("colourspace", ("space", "cmyk"));
        var jpeg = Native.Vips.VipsOperation.Blob("jpegsave_buffer", ("in", cmyk));
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
}
