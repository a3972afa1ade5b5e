using static Aigc.Imaging.Tests.PresetRunner;

namespace Aigc.Imaging.Tests;

public class StepTests
{
    private static VipsImage Grey(int width, int height, Func<int, int, byte> value)
    {
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                pixels.AsSpan((y * width + x) * 3, 3).Fill(value(x, y));
        return VipsImage.FromPixels(pixels, width, height, 3);
    }

    [Fact]
    public void Upscale_by_factor_and_to_a_target_size()
    {
        using var wide = Samples.Solid(64, 32, 9, 9, 9);
        var byFactor = RunPixels(wide, Step("upscale", ("factor", "2")));
        Assert.Equal((128, 64), (byFactor.Width, byFactor.Height));
        var bySize = RunPixels(wide, Step("upscale", ("size", "512")));
        Assert.Equal((512, 256), (bySize.Width, bySize.Height));
        Assert.Equal(((byte)9, (byte)9, (byte)9), bySize.Rgb(300, 100));
        var reduced = RunPixels(wide, Step("upscale", ("size", "32")));
        Assert.Equal((32, 16), (reduced.Width, reduced.Height));
        Assert.Equal(((byte)9, (byte)9, (byte)9), reduced.Rgb(10, 10));
    }

    [Fact]
    public void Nearest_keeps_hard_edges_and_lanczos3_blends_them()
    {
        using var checker = Grey(4, 4, (x, y) => (byte)((x + y) % 2 == 0 ? 0 : 255));
        var nearest = RunPixels(checker, Step("upscale", ("factor", "8"), ("kernel", "nearest")));
        Assert.Equal((32, 32), (nearest.Width, nearest.Height));
        for (var y = 0; y < 32; y++)
            for (var x = 0; x < 32; x++)
                Assert.Equal((x / 8 + y / 8) % 2 == 0 ? 0 : 255, nearest[x, y, 0]);
        var lanczos = RunPixels(checker, Step("upscale", ("factor", "8")));
        Assert.InRange(lanczos[8, 4, 0], 60, 195); // on the cell boundary: a blend, not a copy
    }

    [Fact]
    public void Sharpen_overshoots_at_edges_and_leaves_flat_areas_alone()
    {
        using var edge = Grey(32, 16, (x, _) => (byte)(x < 16 ? 100 : 150));
        var sharp = RunPixels(edge, Step("sharpen", ("amount", "1")));
        Assert.Equal(100, sharp[5, 8, 0]);
        Assert.Equal(150, sharp[26, 8, 0]);
        Assert.True(sharp[15, 8, 0] < 100, $"dark side of the edge should undershoot, was {sharp[15, 8, 0]}");
        Assert.True(sharp[16, 8, 0] > 150, $"light side of the edge should overshoot, was {sharp[16, 8, 0]}");
        var exact = RunPixels(Grey(8, 8, (x, _) => (byte)(41 + x)), Step("sharpen"));
        Assert.Equal(43, exact[2, 4, 0]); // linear ramp: the Laplacian is zero, odd levels stay put
        var stronger = RunPixels(edge, Step("sharpen", ("amount", "2")));
        Assert.True(stronger[16, 8, 0] > sharp[16, 8, 0]);
    }

    [Fact]
    public void Denoise_removes_isolated_specks_but_keeps_shapes()
    {
        using var specks = Grey(32, 32, (x, y) => (byte)((x == 5 && y == 5) || (x >= 16 && x < 26 && y >= 16 && y < 26) ? 255 : 0));
        var clean = RunPixels(specks, Step("denoise", ("size", "3")));
        Assert.Equal(0, clean[5, 5, 0]);
        Assert.Equal(255, clean[20, 20, 0]);
    }

    [Fact]
    public void Levels_maps_black_and_white_points_and_gamma()
    {
        using var ramp = Grey(256, 1, (x, _) => (byte)x);
        var levels = RunPixels(ramp, Step("levels", ("black", "50"), ("white", "200")));
        Assert.Equal(0, levels[30, 0, 0]);
        Assert.Equal(0, levels[50, 0, 0]);
        Assert.Equal(128, levels[125, 0, 0]);
        Assert.Equal(255, levels[200, 0, 0]);
        Assert.Equal(255, levels[230, 0, 0]);
        var gamma = RunPixels(ramp, Step("levels", ("gamma", "2")));
        Assert.Equal(128, gamma[64, 0, 0]); // 255·(64/255)^(1/2)
        var flat = RunPixels(ramp, Step("levels", ("contrast", "0")));
        Assert.Equal(128, flat[10, 0, 0]);
        Assert.Equal(128, flat[240, 0, 0]);
    }

    [Fact]
    public void Steps_chain_after_sharpen_on_8_bit_data()
    {
        using var part = Samples.Part();
        var result = RunPixels(part, Step("sharpen", ("amount", "4")), Step("levels", ("gamma", "1.5")), Step("denoise"));
        Assert.Equal((64, 64, 3), (result.Width, result.Height, result.Bands));
    }

    [Fact]
    public void Levels_leaves_alpha_untouched()
    {
        var rgba = new byte[] { 10, 10, 10, 77, 240, 240, 240, 200 };
        using var image = VipsImage.FromPixels(rgba, 2, 1, 4);
        var result = RunPixels(image, Step("levels", ("contrast", "0")));
        Assert.Equal((4, 77, 200), (result.Bands, result[0, 0, 3], result[1, 0, 3]));
        Assert.Equal(128, result[0, 0, 0]);
    }

    [Fact]
    public void Aspect_crops_centred_or_pads_with_the_colour()
    {
        using var bands = Grey(64, 64, (_, y) => (byte)(y < 14 || y >= 50 ? 0 : 255));
        var cropped = RunPixels(bands, Step("aspect", ("ratio", "16:9")));
        Assert.Equal((64, 36), (cropped.Width, cropped.Height));
        Assert.Equal(255, cropped[32, 0, 0]); // the dark top and bottom stripes were cut away
        Assert.Equal(255, cropped[32, 35, 0]);

        var padded = RunPixels(bands, Step("aspect", ("ratio", "16:9"), ("mode", "pad"), ("colour", "#ff0000")));
        Assert.Equal((114, 64), (padded.Width, padded.Height));
        Assert.Equal(((byte)255, (byte)0, (byte)0), padded.Rgb(3, 32));
        Assert.Equal(((byte)255, (byte)255, (byte)255), padded.Rgb(57, 32));
    }

    [Fact]
    public void Text_watermark_appears_only_at_its_corner_with_its_opacity()
    {
        using var black = Samples.Solid(256, 256, 0, 0, 0);
        var marked = RunPixels(black, Step("watermark", ("text", "AIGC <Portal> & co"), ("opacity", "0.5"), ("size", "0.08")));
        Assert.Equal(0, marked.CountBrighter(0, 0, 256, 128, 1));
        Assert.True(marked.CountBrighter(128, 192, 128, 64, 40) > 100);
        var brightest = 0.0;
        for (var y = 192; y < 256; y++)
            for (var x = 128; x < 256; x++)
                brightest = Math.Max(brightest, marked.Luma(x, y));
        Assert.InRange(brightest, 120, 135); // white at 50 %
    }

    [Fact]
    public void Logo_watermark_is_scaled_and_placed_top_left()
    {
        var logoPath = Path.Combine(Path.GetTempPath(), $"aigc-logo-{Guid.NewGuid():N}.png");
        using (var red = Samples.Solid(20, 20, 255, 0, 0)) File.WriteAllBytes(logoPath, red.EncodePng());
        try
        {
            using var black = Samples.Solid(200, 200, 0, 0, 0);
            var marked = RunPixels(black, Step("watermark", ("logo", logoPath), ("position", "top-left"), ("size", "0.25"), ("opacity", "1"), ("margin", "0.05")));
            Assert.Equal(((byte)255, (byte)0, (byte)0), marked.Rgb(10 + 25, 10 + 25));
            Assert.Equal(((byte)0, (byte)0, (byte)0), marked.Rgb(10 + 55, 10 + 25)); // logo is 50 px wide
            Assert.Equal(((byte)0, (byte)0, (byte)0), marked.Rgb(150, 150));
        }
        finally
        {
            File.Delete(logoPath);
        }
    }

    [Fact]
    public void Thumbnail_is_a_webp_fitting_256_pixels()
    {
        using var wide = Samples.Solid(512, 256, 0, 128, 255);
        var result = Run(wide, null, Step("thumbnail"), Step("encode"));
        Assert.NotNull(result.Thumbnail);
        Assert.Equal(ImageFormat.Webp, ImageFormatSniffer.Detect(result.Thumbnail));
        var thumbnail = Pixels.Of(result.Thumbnail);
        Assert.Equal((256, 128), (thumbnail.Width, thumbnail.Height));
        Assert.Equal((512, 256), (result.Width, result.Height));
    }

    [Fact]
    public void Encode_writes_the_chosen_format()
    {
        using var part = Samples.Part();
        var jpeg = Run(part, null, Step("encode", ("format", "jpeg"), ("quality", "70")));
        Assert.Equal((ImageFormat.Jpeg, "image/jpeg"), (ImageFormatSniffer.Detect(jpeg.Bytes), jpeg.ContentType));
        var lossless = Run(part, null, Step("encode", ("format", "webp"), ("lossless", "true")));
        Assert.Equal(ImageFormat.Webp, ImageFormatSniffer.Detect(lossless.Bytes));
        Assert.Equal(new Pixels(part).Rgb(30, 30), Pixels.Of(lossless.Bytes).Rgb(30, 30));
        var png0 = Run(part, null, Step("encode", ("format", "png"), ("compression", "0")));
        var png9 = Run(part, null, Step("encode", ("format", "png"), ("compression", "9")));
        Assert.True(png9.Bytes.Length < png0.Bytes.Length);
        var rle = Run(part, null, Step("encode", ("format", "png"), ("compression", "RLE")));
        Assert.Equal(Run(part, null, Step("encode", ("format", "png"))).Bytes, rle.Bytes);
        Assert.True(rle.Bytes.Length < png0.Bytes.Length);
        Assert.Equal(Pixels.Of(png0.Bytes).Rgb(30, 30), Pixels.Of(rle.Bytes).Rgb(30, 30));
    }
}
