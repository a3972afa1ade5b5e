using System.Text;
using Aigc.Imaging.Ads;

namespace Aigc.Imaging.Tests.Ads;

public sealed class BrandLogoTests
{
    private const long Limit = 256 * 1024;

    private const string GoodSvg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="200" height="60" viewBox="0 0 200 60">
          <rect width="60" height="60" rx="8" fill="#0b4f9c"/><path d="M70 10h120v40H70z" fill="#f59e0b"/>
        </svg>
        """;

    [Fact]
    public void A_png_with_transparency_is_accepted_and_loads_with_alpha()
    {
        var pixels = new byte[40 * 20 * 4];
        for (var i = 0; i < pixels.Length; i += 4) (pixels[i], pixels[i + 3]) = (200, (byte)(i % 256));
        using var image = VipsImage.FromPixels(pixels, 40, 20, 4);
        var logo = BrandLogo.Validate(image.EncodePng(), Limit);
        Assert.Equal(("image/png", 40, 20), (logo.MediaType, logo.Width, logo.Height));
        using var loaded = BrandLogo.Load(logo.MediaType, logo.Bytes);
        Assert.Equal(4, loaded.Bands);
    }

    [Fact]
    public void A_plain_svg_is_accepted_rendered_and_stored_without_comments()
    {
        var logo = BrandLogo.Validate(Encoding.UTF8.GetBytes("<!-- made by hand -->" + GoodSvg), Limit);
        Assert.Equal(("image/svg+xml", 200, 60), (logo.MediaType, logo.Width, logo.Height));
        Assert.DoesNotContain("made by hand", Encoding.UTF8.GetString(logo.Bytes));
        using var loaded = BrandLogo.Load(logo.MediaType, logo.Bytes, longSide: 400);
        Assert.Equal((400, 120, 4), (loaded.Width, loaded.Height, loaded.Bands));
    }

    [Fact]
    public void An_svg_may_embed_a_png()
    {
        using var dot = Samples.Solid(4, 4, 10, 20, 30);
        var svg = $"""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><image width="10" height="10" xlink:href="data:image/png;base64,{Convert.ToBase64String(dot.EncodePng())}"/></svg>""";
        Assert.Equal("image/svg+xml", BrandLogo.Validate(Encoding.UTF8.GetBytes(svg), Limit).MediaType);
    }

    [Theory]
    [InlineData("""<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>""", "<script>")]
    [InlineData("""<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)"><rect width="5" height="5"/></svg>""", "event handler (onload")]
    [InlineData("""<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject></svg>""", "<foreignObject>")]
    [InlineData("""<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10"><image width="10" height="10" xlink:href="file:///etc/passwd"/></svg>""", "refers to \"file:///etc/passwd\"")]
    [InlineData("""<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image width="10" height="10" href="https://evil.example/x.png"/></svg>""", "refers to \"https://evil.example/x.png\"")]
    [InlineData("""<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><a href="javascript:alert(1)"><rect width="5" height="5"/></a></svg>""", "<a> element")]
    [InlineData("""<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="5" height="5" fill="url(https://evil.example/p.svg#g)"/></svg>""", "outside resource")]
    [InlineData("""<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><style>@import url(https://evil.example/a.css);</style></svg>""", "<style>")]
    [InlineData("""<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text>&b;</text></svg>""", "DOCTYPE")]
    [InlineData("""<svg xmlns="http://www.w3.org/2000/svg" width="100000" height="100000"><rect width="5" height="5"/></svg>""", "at most 4096×4096")]
    [InlineData("""<svg xmlns="http://www.w3.org/2000/svg"><rect width="5" height="5"/></svg>""", "no usable size")]
    [InlineData("""<html><body>not a logo</body></html>""", "not an <svg> element")]
    [InlineData("""<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect""", "well-formed")]
    public void Hostile_or_broken_svgs_are_refused_with_a_clear_message(string svg, string expected)
    {
        var error = Assert.Throws<ImageRejectedException>(() => BrandLogo.Validate(Encoding.UTF8.GetBytes(svg), Limit));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_jpeg_is_refused_as_a_logo()
    {
        using var image = Samples.Solid(8, 8, 1, 2, 3);
        var error = Assert.Throws<ImageRejectedException>(() => BrandLogo.Validate(image.EncodeJpeg(), Limit));
        Assert.Contains("logos must be PNG (with transparency) or SVG", error.Message);
    }

    [Fact]
    public void A_logo_over_the_size_limit_is_refused_before_it_is_read()
    {
        var error = Assert.Throws<ImageRejectedException>(() => BrandLogo.Validate(new byte[Limit + 1], Limit));
        Assert.Contains($"at most {Limit:N0} bytes", error.Message);
    }

    [Fact]
    public void A_png_declaring_huge_dimensions_is_refused_undecoded()
    {
        using var image = Samples.Solid(8, 8, 1, 2, 3);
        var png = image.EncodePng();
        // IHDR width at offset 16: claim 60000 pixels wide (the CRC no longer matches, the header check comes first).
        png[16] = 0; png[17] = 0; png[18] = 0xEA; png[19] = 0x60;
        var error = Assert.Throws<ImageRejectedException>(() => BrandLogo.Validate(png, Limit));
        Assert.Contains("PNG", error.Message);
    }

    [Fact]
    public void Random_bytes_and_empty_files_are_refused()
    {
        Assert.Contains("empty", Assert.Throws<ImageRejectedException>(() => BrandLogo.Validate([], Limit)).Message);
        var noise = new byte[512];
        new Random(3).NextBytes(noise);
        noise[0] = 0x41;
        Assert.Contains("neither a PNG nor", Assert.Throws<ImageRejectedException>(() => BrandLogo.Validate(noise, Limit)).Message);
    }
}
