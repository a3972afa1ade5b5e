using Aigc.Imaging.Blueprint;
using static Aigc.Imaging.Tests.PresetRunner;

namespace Aigc.Imaging.Tests;

public class BlueprintStyleTests
{
    private static readonly (byte R, byte G, byte B) Paper = (0x0b, 0x4f, 0x9c);
    private static readonly BlueprintSheetLayout Layout = new(256, 256, 16);

    private static Pixels Sheet(VipsImage source, bool withMetadata = true) =>
        Pixels.Of(Run(source, withMetadata ? Samples.Metadata() : null, Step("blueprint", ("grid", "16"))).Bytes);

    [Fact]
    public void Sheet_has_the_layout_size_and_blueprint_blue_paper()
    {
        using var blank = Samples.Solid(256, 256, 200, 200, 200);
        var sheet = Sheet(blank);
        Assert.Equal((Layout.SheetWidth, Layout.SheetHeight), (sheet.Width, sheet.Height));
        AssertNear(Paper, sheet.Rgb(Layout.DrawingLeft + 8, Layout.DrawingTop + 8), 2);
        AssertNear(Paper, sheet.Rgb(Layout.DrawingLeft + 120, Layout.DrawingTop + 200), 2);
    }

    [Fact]
    public void Grid_lines_lie_every_grid_spacing_and_every_fourth_is_stronger()
    {
        using var blank = Samples.Solid(256, 256, 200, 200, 200);
        var sheet = Sheet(blank);
        var y = Layout.DrawingTop + 8;
        var paper = sheet.Luma(Layout.DrawingLeft + 8, y);
        for (var k = 0; k <= 16; k++)
        {
            var x = Layout.DrawingLeft + k * 16;
            Assert.True(sheet.Luma(x, y) > paper + 10, $"grid line {k} at x={x}");
            if (k < 16) Assert.Equal(paper, sheet.Luma(x + 8, y), 1);
        }
        Assert.True(sheet.Luma(Layout.DrawingLeft + 64, y) > sheet.Luma(Layout.DrawingLeft + 16, y) + 10, "major line brighter than minor");
    }

    [Fact]
    public void Edges_become_white_lines_and_flat_areas_stay_paper()
    {
        using var square = Samples.Solid(256, 256, 255, 255, 255);
        using var dark = Samples.Solid(128, 128, 0, 0, 0);
        using var drawing = square.Apply(s => s.Insert(dark.Native, 64, 64));
        var sheet = Sheet(drawing);
        var (left, top) = (Layout.DrawingLeft, Layout.DrawingTop);
        Assert.True(sheet.Luma(left + 64, top + 100) > 230, "left edge of the square is a white line");
        Assert.True(sheet.Luma(left + 100, top + 191) > 230, "bottom edge of the square is a white line");
        AssertNear(Paper, sheet.Rgb(left + 120, top + 120), 2); // inside the square, between grid lines
        AssertNear(Paper, sheet.Rgb(left + 24, top + 40), 2);   // outside it
    }

    [Fact]
    public void Title_block_shows_text_from_the_metadata()
    {
        using var blank = Samples.Solid(256, 256, 200, 200, 200);
        var with = Sheet(blank);
        var without = Sheet(blank, withMetadata: false);
        var other = Pixels.Of(Run(blank, Samples.Metadata(seed: 99), Step("blueprint", ("grid", "16"))).Bytes);

        // Value line of the drawing-number cell: lower half of the first row, first third of the block.
        int left = Layout.DrawingLeft, top = Layout.TitleBlockTop + Layout.TitleBlockHeight / 4, width = 80, height = Layout.TitleBlockHeight / 4;
        var textPixels = with.CountBrighter(left, top, width, height, 150);
        Assert.True(textPixels > 60, $"drawing number text: {textPixels} bright pixels");
        Assert.True(without.CountBrighter(left, top, width, height, 150) < textPixels / 3, "no metadata: only a dash");
        Assert.NotEqual(Hash(with, left, top, width, height), Hash(other, left, top, width, height));
        // The drawing area does not depend on the metadata.
        Assert.Equal(Hash(with, Layout.DrawingLeft, Layout.DrawingTop, 256, 256), Hash(other, Layout.DrawingLeft, Layout.DrawingTop, 256, 256));
    }

    [Fact]
    public void Markup_and_long_values_in_conditions_are_escaped_and_cut_not_injected()
    {
        using var blank = Samples.Solid(256, 256, 200, 200, 200);
        var hostile = Samples.Metadata() with
        {
            Conditions = new Dictionary<string, string> { ["part"] = "</text><rect width=\"9999\" height=\"9999\" fill=\"red\"/>&", ["note"] = new string('x', 500) },
        };
        var sheet = Pixels.Of(Run(blank, hostile, Step("blueprint", ("grid", "16"))).Bytes);
        Assert.Equal((Layout.SheetWidth, Layout.SheetHeight), (sheet.Width, sheet.Height));
        for (var y = 0; y < sheet.Height; y += 7)
            for (var x = 0; x < sheet.Width; x += 7)
            {
                var (r, g, b) = sheet.Rgb(x, y);
                Assert.False(r > 150 && g < 100 && b < 100, $"red at {x},{y}: markup was injected");
            }
    }

    private static string Hash(Pixels pixels, int left, int top, int width, int height)
    {
        var bytes = new List<byte>();
        for (var y = top; y < top + height; y++)
            for (var x = left; x < left + width; x++)
            {
                var (r, g, b) = pixels.Rgb(x, y);
                bytes.AddRange([r, g, b]);
            }
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(bytes.ToArray()));
    }

    private static void AssertNear((byte R, byte G, byte B) expected, (byte R, byte G, byte B) actual, int tolerance)
    {
        Assert.InRange(actual.R, expected.R - tolerance, expected.R + tolerance);
        Assert.InRange(actual.G, expected.G - tolerance, expected.G + tolerance);
        Assert.InRange(actual.B, expected.B - tolerance, expected.B + tolerance);
    }
}
