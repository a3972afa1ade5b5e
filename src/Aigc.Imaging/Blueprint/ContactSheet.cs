using System.Globalization;
using System.Security;
using System.Text;

namespace Aigc.Imaging.Blueprint;

/// <summary>One frame of a contact sheet: an encoded image and the caption printed under it.</summary>
public sealed record ContactFrame(byte[] Image, string Caption);

/// <summary>
/// Frames side by side in one row on white paper, each scaled into a square cell with its caption underneath and a
/// title line above: how an interpolation strip is handed on as a single PNG. Captions use the sheet fonts.
/// </summary>
public static class ContactSheet
{
    public const int MaxFrames = 64;

    public static byte[] Render(IReadOnlyList<ContactFrame> frames, string title, int cellSize = 192)
    {
        if (frames.Count is < 1 or > MaxFrames)
            throw new ArgumentOutOfRangeException(nameof(frames), $"A contact sheet takes 1 to {MaxFrames} frames (got {frames.Count}).");
        if (cellSize is < 32 or > 1024)
            throw new ArgumentOutOfRangeException(nameof(cellSize), $"Cell size must be 32 to 1024 pixels (got {cellSize}).");
        var gap = Math.Max(8, cellSize / 16);
        var titleHeight = Math.Max(28, cellSize / 6);
        var captionHeight = Math.Max(20, cellSize / 8);
        var width = gap + frames.Count * (cellSize + gap);
        var height = gap + titleHeight + cellSize + captionHeight + gap;

        using var paper = VipsImage.FromSvg(Paper(frames, title, width, height, cellSize, gap, titleHeight, captionHeight), width, height);
        var sheet = paper.Flatten();
        try
        {
            for (var i = 0; i < frames.Count; i++)
            {
                using var decoded = VipsImage.Decode(frames[i].Image);
                using var flat = decoded.Flatten();
                using var rgb = flat.Apply(i =>
                    i.Bands == 1 ? i.Colourspace(NetVips.Enums.Interpretation.Srgb) : i.Copy());
                using var cell = rgb.Thumbnail(cellSize, cellSize);
                var x = gap + i * (cellSize + gap) + (cellSize - cell.Width) / 2;
                var y = gap + titleHeight + (cellSize - cell.Height) / 2;
                var next = sheet.Apply(s => s.Insert(cell.Native, x, y));
                sheet.Dispose();
                sheet = next;
            }

            return sheet.EncodePng(compression: 6);
        }
        finally
        {
            sheet.Dispose();
        }
    }

    private static string Paper(IReadOnlyList<ContactFrame> frames, string title, int width, int height, int cellSize, int gap, int titleHeight, int captionHeight)
    {
        var svg = new StringBuilder();
        svg.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\">"));
        svg.Append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>");
        svg.Append(Inv($"<text x=\"{gap}\" y=\"{gap + titleHeight * 0.7:0.#}\" font-family=\"{BlueprintSheetSvg.UiFont}\" font-size=\"{titleHeight * 0.5:0.#}\" font-weight=\"600\" fill=\"#1d2733\">{SecurityElement.Escape(title)}</text>"));
        for (var i = 0; i < frames.Count; i++)
        {
            var left = gap + i * (cellSize + gap);
            var top = gap + titleHeight;
            svg.Append(Inv($"<rect x=\"{left - 0.5}\" y=\"{top - 0.5}\" width=\"{cellSize + 1}\" height=\"{cellSize + 1}\" fill=\"none\" stroke=\"#c5cdd8\"/>"));
            svg.Append(Inv($"<text x=\"{left + cellSize / 2.0:0.#}\" y=\"{top + cellSize + captionHeight * 0.75:0.#}\" text-anchor=\"middle\" font-family=\"{BlueprintSheetSvg.MonoFont}\" font-size=\"{captionHeight * 0.55:0.#}\" fill=\"#4a5563\">{SecurityElement.Escape(frames[i].Caption)}</text>"));
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
