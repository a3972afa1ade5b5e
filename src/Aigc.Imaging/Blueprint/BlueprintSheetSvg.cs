using System.Globalization;
using System.Security;
using System.Text;
using Aigc.Imaging.Metadata;

namespace Aigc.Imaging.Blueprint;

/// <summary>
/// The paper of a blueprint sheet as SVG: blueprint blue, grid in the drawing area, a frame, and a title block
/// with drawing number, part, conditions, model version, date and scale. librsvg renders it inside libvips.
/// </summary>
public static class BlueprintSheetSvg
{
    public const string UiFont = "Inter";
    public const string MonoFont = "DejaVu Sans Mono";

    public static string Render(BlueprintSheetLayout layout, BlueprintMetadata? metadata, string scale, string paperColour)
    {
        var s = layout.DrawingWidth / 512.0;
        var svg = new StringBuilder();
        svg.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{layout.SheetWidth}\" height=\"{layout.SheetHeight}\" viewBox=\"0 0 {layout.SheetWidth} {layout.SheetHeight}\">"));
        svg.Append(Inv($"<rect width=\"100%\" height=\"100%\" fill=\"{paperColour}\"/>"));
        AppendGrid(svg, layout);
        AppendFrame(svg, layout, s);
        AppendTitleBlock(svg, layout, metadata, scale, s);
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static void AppendGrid(StringBuilder svg, BlueprintSheetLayout layout)
    {
        int left = layout.DrawingLeft, top = layout.DrawingTop, right = left + layout.DrawingWidth, bottom = top + layout.DrawingHeight;
        svg.Append("<g shape-rendering=\"crispEdges\" stroke=\"#ffffff\" stroke-width=\"1\">");
        for (int k = 0, x = left; x <= right; k++, x += layout.GridSpacing)
            svg.Append(Inv($"<line x1=\"{x + 0.5}\" y1=\"{top}\" x2=\"{x + 0.5}\" y2=\"{bottom}\" stroke-opacity=\"{(k % 4 == 0 ? 0.32 : 0.14)}\"/>"));
        for (int k = 0, y = top; y <= bottom; k++, y += layout.GridSpacing)
            svg.Append(Inv($"<line x1=\"{left}\" y1=\"{y + 0.5}\" x2=\"{right}\" y2=\"{y + 0.5}\" stroke-opacity=\"{(k % 4 == 0 ? 0.32 : 0.14)}\"/>"));
        svg.Append("</g>");
    }

    private static void AppendFrame(StringBuilder svg, BlueprintSheetLayout layout, double s)
    {
        var g = layout.FrameGap;
        var outer = layout.Margin / 2.0;
        svg.Append(Inv($"<rect x=\"{outer}\" y=\"{outer}\" width=\"{layout.SheetWidth - 2 * outer}\" height=\"{layout.SheetHeight - 2 * outer}\" fill=\"none\" stroke=\"#ffffff\" stroke-width=\"{Math.Max(1, 2 * s):0.##}\"/>"));
        svg.Append(Inv($"<rect x=\"{layout.DrawingLeft - g + 0.5}\" y=\"{layout.DrawingTop - g + 0.5}\" width=\"{layout.DrawingWidth + 2 * g - 1}\" height=\"{layout.DrawingHeight + 2 * g - 1}\" fill=\"none\" stroke=\"#ffffff\" stroke-width=\"1\" stroke-opacity=\"0.8\"/>"));
    }

    private static void AppendTitleBlock(StringBuilder svg, BlueprintSheetLayout layout, BlueprintMetadata? metadata, string scale, double s)
    {
        double x0 = layout.DrawingLeft - layout.FrameGap, y0 = layout.TitleBlockTop;
        double width = layout.DrawingWidth + 2 * layout.FrameGap, height = layout.TitleBlockHeight;
        double rowHeight = height / 2;
        svg.Append(Inv($"<rect x=\"{x0}\" y=\"{y0}\" width=\"{width}\" height=\"{height}\" fill=\"none\" stroke=\"#ffffff\" stroke-width=\"{Math.Max(1, 1.5 * s):0.##}\"/>"));
        svg.Append(Inv($"<line x1=\"{x0}\" y1=\"{y0 + rowHeight}\" x2=\"{x0 + width}\" y2=\"{y0 + rowHeight}\" stroke=\"#ffffff\" stroke-width=\"1\"/>"));

        var conditions = metadata is null || metadata.Conditions.Count == 0
            ? "—"
            : string.Join("  ", metadata.Conditions.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"));
        var part = metadata is null ? "—"
            : metadata.Conditions.TryGetValue("part", out var p) ? p
            : metadata.Conditions.TryGetValue("category", out var c) ? c
            : metadata.ModelName;
        // Columns as fractions of the block width: row 1 drawing no. | part | scale, row 2 conditions | model | date.
        Cell[] row1 =
        [
            new("DRAWING NO.", metadata?.DrawingNumber ?? "—", 0, 0.34, Mono: true, Emphasis: true),
            new("PART", part, 0.34, 0.84, Mono: false, Emphasis: true),
            new("SCALE", scale, 0.84, 1, Mono: true, Emphasis: false),
        ];
        Cell[] row2 =
        [
            new("CONDITIONS", conditions, 0, 0.50, Mono: true, Emphasis: false),
            new("MODEL", metadata is null ? "—" : $"{metadata.ModelName} v{metadata.ModelVersion}", 0.50, 0.78, Mono: true, Emphasis: false),
            new("DATE", metadata?.CreatedUtc.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—", 0.78, 1, Mono: true, Emphasis: false),
        ];
        AppendRow(svg, row1, x0, y0, width, rowHeight, s);
        AppendRow(svg, row2, x0, y0 + rowHeight, width, rowHeight, s);
    }

    private static void AppendRow(StringBuilder svg, Cell[] cells, double x0, double y0, double width, double rowHeight, double s)
    {
        var labelSize = Math.Max(7, 8.5 * s);
        var valueSize = Math.Max(9, 14 * s);
        var pad = Math.Max(4, 8 * s);
        foreach (var cell in cells)
        {
            var left = x0 + cell.From * width;
            var cellWidth = (cell.To - cell.From) * width;
            if (cell.From > 0)
                svg.Append(Inv($"<line x1=\"{left}\" y1=\"{y0}\" x2=\"{left}\" y2=\"{y0 + rowHeight}\" stroke=\"#ffffff\" stroke-width=\"1\"/>"));
            svg.Append(Inv($"<text x=\"{left + pad}\" y=\"{y0 + pad + labelSize}\" font-family=\"{UiFont}\" font-size=\"{labelSize:0.#}\" font-weight=\"600\" letter-spacing=\"{0.8 * s:0.##}\" fill=\"#ffffff\" fill-opacity=\"0.75\">{cell.Label}</text>"));
            // Glyph width is about 0.6 em for the monospace face and ~0.55 em for Inter: cut what cannot fit.
            var size = cell.Emphasis ? valueSize * 1.15 : valueSize;
            var fits = Math.Max(1, (int)((cellWidth - 2 * pad) / (size * 0.6)));
            var value = cell.Value.Length > fits ? cell.Value[..Math.Max(1, fits - 1)] + "…" : cell.Value;
            svg.Append(Inv($"<text x=\"{left + pad}\" y=\"{y0 + rowHeight - pad}\" font-family=\"{(cell.Mono ? MonoFont : UiFont)}\" font-size=\"{size:0.#}\" font-weight=\"{(cell.Emphasis ? 700 : 400)}\" fill=\"#ffffff\">{SecurityElement.Escape(value)}</text>"));
        }
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record Cell(string Label, string Value, double From, double To, bool Mono, bool Emphasis);
}
