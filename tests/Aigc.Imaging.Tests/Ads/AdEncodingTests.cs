using Aigc.Imaging.Ads;

namespace Aigc.Imaging.Tests.Ads;

public sealed class AdEncodingTests
{
    [Fact]
    public void Png_and_jpeg_are_srgb_without_metadata_and_show_the_same_ad()
    {
        using var product = AdSamples.Blueprint();
        using var rendering = AdRenderer.Render(AdSamples.Composition(AdTemplateCatalog.Get("split"), product), new AdSize(300, 250));
        var png = AdEncoding.Png(rendering.Image);
        var jpeg = AdEncoding.Jpeg(rendering.Image);
        Assert.Equal(ImageFormat.Png, ImageFormatSniffer.Detect(png));
        Assert.Equal(ImageFormat.Jpeg, ImageFormatSniffer.Detect(jpeg));
        foreach (var bytes in new[] { png, jpeg })
        {
            using var decoded = VipsImage.Decode(bytes);
            Assert.Equal((300, 250, 3), (decoded.Width, decoded.Height, decoded.Bands));
            Assert.False(decoded.Native.Contains("exif-data"));
            Assert.False(decoded.Native.Contains("icc-profile-data"));
            Assert.False(decoded.Native.Contains("xmp-data"));
        }
        // PNG is lossless; the JPEG stays close to it on average.
        var original = rendering.Image.ToPixels();
        Assert.Equal(original, Decoded(png));
        var lossy = Decoded(jpeg);
        var error = original.Zip(lossy, (a, b) => Math.Abs(a - b)).Average();
        Assert.True(error < 3, $"mean JPEG error {error:F2} levels");
    }

    [Fact]
    public void Installed_fonts_are_listed_and_unknown_ones_are_not()
    {
        Assert.Contains("Inter", FontCatalog.Installed);
        Assert.True(FontCatalog.IsInstalled("DejaVu Sans"));
        Assert.False(FontCatalog.IsInstalled("Comic Nonsense"));
    }

    [Fact]
    public void Only_the_standard_sizes_parse()
    {
        Assert.Equal(new AdSize(728, 90), AdSize.Parse("728x90"));
        Assert.Equal(AdSizeClass.Skyscraper, AdSize.Parse("160x600").Class);
        Assert.Equal(AdSizeClass.Leaderboard, AdSize.Parse("728x90").Class);
        Assert.Equal(AdSizeClass.Landscape, AdSize.Parse("1200x628").Class);
        Assert.Equal(AdSizeClass.Portrait, AdSize.Parse("1080x1920").Class);
        Assert.Contains("not a supported ad size", Assert.Throws<ArgumentException>(() => AdSize.Parse("1000x1000")).Message);
    }

    [Fact]
    public void Colours_parse_only_as_hex()
    {
        Assert.Equal(new RgbColour(0x0b, 0x4f, 0x9c), RgbColour.Parse("#0b4f9c", "Primary"));
        Assert.False(RgbColour.TryParse("#0b4f9", out _));
        Assert.False(RgbColour.TryParse("blue", out _));
        Assert.False(RgbColour.TryParse("#0b4g9c", out _));
    }

    [Fact]
    public void Texts_are_validated_with_the_field_named()
    {
        var problems = new AdTexts("", null, new string('x', 31), "ok").Validate();
        Assert.Contains(problems, p => p.Field == "headline" && p.Message == "Headline is required.");
        Assert.Contains(problems, p => p.Field == "cta" && p.Message.Contains("at most 30"));
    }

    private static byte[] Decoded(byte[] bytes)
    {
        using var image = VipsImage.Decode(bytes);
        return image.ToPixels();
    }
}
