using Aigc.Imaging.Blueprint;

namespace Aigc.Imaging.Tests;

public class ContactSheetTests
{
    [Fact]
    public void Frames_sit_in_one_row_in_order_under_a_title()
    {
        byte[][] frames = [Solid(200, 30, 30), Solid(30, 200, 30), Solid(30, 30, 200)];
        var png = ContactSheet.Render(frames.Select((f, i) => new ContactFrame(f, $"t={i / 2.0:0.00}")).ToList(), "flange → bracket", cellSize: 96);
        using var sheet = VipsImage.Decode(png);
        var gap = 8;
        Assert.Equal(gap + 3 * (96 + gap), sheet.Width);
        var pixels = sheet.ToPixels();
        var top = gap + 28;
        for (var i = 0; i < 3; i++)
        {
            var (x, y) = (gap + i * (96 + gap) + 48, top + 48);
            var at = (y * sheet.Width + x) * sheet.Bands;
            var expected = frames[i] == frames[0] ? (200, 30, 30) : i == 1 ? (30, 200, 30) : (30, 30, 200);
            Assert.Equal(expected, (pixels[at], pixels[at + 1], pixels[at + 2]));
        }

        // Captions and title are drawn: the paper below the cells and above them is not blank.
        var captionRow = Enumerable.Range(0, sheet.Width).Select(x => pixels[((top + 96 + 12) * sheet.Width + x) * sheet.Bands]);
        Assert.Contains(captionRow, v => v < 200);
    }

    [Fact]
    public void No_frames_or_too_many_are_refused()
    {
        Assert.Contains("1 to 64 frames", Assert.Throws<ArgumentOutOfRangeException>(() => ContactSheet.Render([], "x")).Message);
        var one = new ContactFrame(Solid(1, 2, 3), "a");
        Assert.Throws<ArgumentOutOfRangeException>(() => ContactSheet.Render(Enumerable.Repeat(one, 65).ToList(), "x"));
    }

    private static byte[] Solid(byte r, byte g, byte b)
    {
        using var image = Samples.Solid(64, 64, r, g, b);
        return image.EncodePng();
    }
}
