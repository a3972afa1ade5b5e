using System.Globalization;
using System.Security;
using System.Text;
using Aigc.Imaging.Metadata;

namespace Aigc.Imaging.Blueprint;

/// <summary>
/// A blueprint sheet as SVG in two layers: the paper (blueprint blue, grid in the drawing area, frames, title-block
/// rules and labels) and the title-block values (drawing number, part, conditions, model version, date, scale).
/// librsvg renders both inside libvips.
/// </summary>
public static class BlueprintSheetSvg
{
    public const string UiFont = "Inter";
    public const string MonoFont = "DejaVu Sans Mono";

    /// <summary>
    /// Everything that depends only on the geometry: paper, grid, frames, title-block rules and labels. Rendered once
    /// per sheet size and reused; the values come from <see cref="RenderTitleValues"/>.
    /// </summary>
    public static string RenderPaper(BlueprintSheetLayout layout, string paperColour)
    {
        var s = layout.DrawingWidth / 512.0;
        var svg = new StringBuilder();
        svg.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{layout.SheetWidth}\" height=\"{layout.SheetHeight}\">"));
        svg.Append(Inv($"<rect width=\"100%\" height=\"100%\" fill=\"{paperColour}\"/>"));
        AppendGrid(svg, layout);
        AppendFrame(svg, layout, s);
        AppendTitleBlockRules(svg, layout, s);
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>The title block's values on a transparent layer the size of the block, placed at its top-left corner.</summary>
    public static string RenderTitleValues(BlueprintSheetLayout layout, BlueprintMetadata? metadata, string scale)
    {
        var s = layout.DrawingWidth / 512.0;
        var (width, height) = (layout.TitleBlockWidth, layout.TitleBlockHeight);
        var conditions = metadata is null || metadata.Conditions.Count == 0
            ? "—"
            : string.Join("  ", metadata.Conditions.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => $"{c.Key}={c.Value}"));
        var part = metadata is null ? "—"
            : metadata.Conditions.TryGetValue("part", out var p) ? p
            : metadata.Conditions.TryGetValue("category", out var c) ? c
            : metadata.ModelName;
        string[] values =
        [
            metadata?.DrawingNumber ?? "—", part, scale,
            conditions,
            metadata is null ? "—" : $"{metadata.ModelName} v{metadata.ModelVersion}",
            metadata?.CreatedUtc?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "—",
        ];
        var svg = new StringBuilder();
        svg.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\">"));
        var valueSize = Math.Max(9, 14 * s);
        var pad = Math.Max(4, 8 * s);
        for (var i = 0; i < Cells.Length; i++)
        {
            var cell = Cells[i];
            var left = cell.From * width;
            var cellWidth = (cell.To - cell.From) * width;
            // Glyphs are about 0.6 em wide in the monospace face and a little narrower in Inter. Shrink a value to
            // fit, down to three quarters of its size; cut what still does not fit.
            var preferred = cell.Emphasis ? valueSize * 1.15 : valueSize;
            var room = cellWidth - 2 * pad;
            var size = Math.Clamp(room / (Math.Max(1, values[i].Length) * 0.62), preferred * 0.75, preferred);
            var fits = Math.Max(1, (int)(room / (size * 0.62)));
            var value = values[i].Length > fits ? values[i][..Math.Max(1, fits - 1)] + "…" : values[i];
            var baseline = (cell.Row + 1) * height / 2.0 - pad;
            svg.Append(Inv($"<text x=\"{left + pad}\" y=\"{baseline}\" font-family=\"{(cell.Mono ? MonoFont : UiFont)}\" font-size=\"{size:0.#}\" font-weight=\"{(cell.Emphasis ? 700 : 400)}\" fill=\"#ffffff\">{SecurityElement.Escape(value)}</text>"));
        }
        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>Title-block cells: row 1 drawing number, part, scale; row 2 conditions, model, date (columns as fractions of the width).</summary>
    private static readonly Cell[] Cells =
    [
        new("DRAWING NO.", 0, 0, 0.34, Mono: true, Emphasis: true),
        new("PART", 0, 0.34, 0.84, Mono: false, Emphasis: true),
        new("SCALE", 0, 0.84, 1, Mono: true, Emphasis: false),
        new("CONDITIONS", 1, 0, 0.50, Mono: true, Emphasis: false),
        new("MODEL", 1, 0.50, 0.78, Mono: true, Emphasis: false),
        new("DATE", 1, 0.78, 1, Mono: true, Emphasis: false),
    ];

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

    private static void AppendTitleBlockRules(StringBuilder svg, BlueprintSheetLayout layout, double s)
    {
        double x0 = layout.TitleBlockLeft, y0 = layout.TitleBlockTop;
        double width = layout.TitleBlockWidth, height = layout.TitleBlockHeight, rowHeight = height / 2;
        svg.Append(Inv($"<rect x=\"{x0}\" y=\"{y0}\" width=\"{width}\" height=\"{height}\" fill=\"none\" stroke=\"#ffffff\" stroke-width=\"{Math.Max(1, 1.5 * s):0.##}\"/>"));
        svg.Append(Inv($"<line x1=\"{x0}\" y1=\"{y0 + rowHeight}\" x2=\"{x0 + width}\" y2=\"{y0 + rowHeight}\" stroke=\"#ffffff\" stroke-width=\"1\"/>"));
        var labelSize = Math.Max(7, 8.5 * s);
        var pad = Math.Max(4, 8 * s);
        foreach (var cell in Cells)
        {
            var left = x0 + cell.From * width;
            var top = y0 + cell.Row * rowHeight;
            if (cell.From > 0)
                svg.Append(Inv($"<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{top + rowHeight}\" stroke=\"#ffffff\" stroke-width=\"1\"/>"));
            svg.Append(Inv($"<text x=\"{left + pad}\" y=\"{top + pad + labelSize}\" font-family=\"{UiFont}\" font-size=\"{labelSize:0.#}\" font-weight=\"600\" letter-spacing=\"{0.8 * s:0.##}\" fill=\"#ffffff\" fill-opacity=\"0.75\">{cell.Label}</text>"));
        }
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed record Cell(string Label, int Row, double From, double To, bool Mono, bool Emphasis);
}
