using System.Globalization;
using System.Text;

namespace Aigc.Generation.Datasets;

/// <summary>
/// A technical line drawing on a 100×100 viewBox: white strokes on black (see docs/decisions/0005).
/// Numbers are written with the invariant culture and 2 decimals so the SVG, and thus the PNG, depends only on the seed.
/// </summary>
internal sealed class SvgDrawing
{
    /// <summary>Visible outline at 64 px (≈1.7 px).</summary>
    public const double Thick = 2.6;

    /// <summary>Centre, hidden, hatch and dimension lines.</summary>
    public const double Thin = 1.3;

    private readonly StringBuilder _body = new();
    private readonly StringBuilder _defs = new();
    private int _clips;

    public void Circle(double cx, double cy, double r, double width = Thick, bool dashed = false) =>
        _body.Append(F($"<circle cx=\"{cx}\" cy=\"{cy}\" r=\"{r}\"{Stroke(width, dashed)}/>"));

    public void Line(double x1, double y1, double x2, double y2, double width = Thin, bool dashed = false) =>
        _body.Append(F($"<line x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\"{Stroke(width, dashed)}/>"));

    public void Rect(double x, double y, double w, double h, double width = Thick, double corner = 0, bool dashed = false) =>
        _body.Append(F($"<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"{corner}\"{Stroke(width, dashed)}/>"));

    public void Polygon(IEnumerable<(double X, double Y)> points, double width = Thick) =>
        _body.Append($"<polygon points=\"{Points(points)}\"{Stroke(width, false)}/>");

    public void Path(string d, double width = Thick, bool dashed = false) =>
        _body.Append($"<path d=\"{d}\"{Stroke(width, dashed)}/>");

    /// <summary>45° section hatching inside a closed path (even-odd, so holes stay clear).</summary>
    public void Hatch(string d, double spacing, double angle = 45)
    {
        var id = $"h{_clips++}";
        _defs.Append($"<clipPath id=\"{id}\"><path d=\"{d}\" clip-rule=\"evenodd\"/></clipPath>");
        _body.Append($"<g clip-path=\"url(#{id})\">");
        var slope = Math.Tan(angle * Math.PI / 180);
        for (var c = -100.0; c < 200; c += spacing)
            Line(c, 100, c + 100 / slope, 0);
        _body.Append("</g>");
    }

    /// <summary>A centre-line cross through (cx, cy) reaching <paramref name="reach"/> either side.</summary>
    public void CentreCross(double cx, double cy, double reach)
    {
        Line(cx - reach, cy, cx + reach, cy, dashed: true);
        Line(cx, cy - reach, cx, cy + reach, dashed: true);
    }

    /// <summary>A horizontal dimension: extension ticks at x1 and x2, an arrowed line at y.</summary>
    public void DimensionHorizontal(double x1, double x2, double y)
    {
        Line(x1, y - 3, x1, y + 3);
        Line(x2, y - 3, x2, y + 3);
        Line(x1, y, x2, y);
        Polygon([(x1, y), (x1 + 3.5, y - 1.5), (x1 + 3.5, y + 1.5)], Thin);
        Polygon([(x2, y), (x2 - 3.5, y - 1.5), (x2 - 3.5, y + 1.5)], Thin);
    }

    /// <summary>A vertical dimension at x between y1 and y2.</summary>
    public void DimensionVertical(double y1, double y2, double x)
    {
        Line(x - 3, y1, x + 3, y1);
        Line(x - 3, y2, x + 3, y2);
        Line(x, y1, x, y2);
        Polygon([(x, y1), (x - 1.5, y1 + 3.5), (x + 1.5, y1 + 3.5)], Thin);
        Polygon([(x, y2), (x - 1.5, y2 - 3.5), (x + 1.5, y2 - 3.5)], Thin);
    }

    public string ToSvg() =>
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100\" height=\"100\" viewBox=\"0 0 100 100\">" +
        $"<defs>{_defs}</defs><rect width=\"100\" height=\"100\" fill=\"#000\"/>{_body}</svg>";

    public static string Points(IEnumerable<(double X, double Y)> points) =>
        string.Join(' ', points.Select(p => F($"{p.X},{p.Y}")));

    /// <summary>Path data for a closed polygon.</summary>
    public static string PolygonPath(IEnumerable<(double X, double Y)> points) =>
        "M" + string.Join(" L", points.Select(p => F($"{p.X} {p.Y}"))) + " Z";

    /// <summary>Path data for a rectangle.</summary>
    public static string RectPath(double x, double y, double w, double h) =>
        PolygonPath([(x, y), (x + w, y), (x + w, y + h), (x, y + h)]);

    /// <summary>Path data for a circle (two arcs), usable as a hole inside an even-odd hatch region.</summary>
    public static string CirclePath(double cx, double cy, double r) =>
        F($"M{cx - r} {cy} A{r} {r} 0 1 0 {cx + r} {cy} A{r} {r} 0 1 0 {cx - r} {cy} Z");

    public static string F(FormattableString s) => s.ToString(Number.Instance);

    private static string Stroke(double width, bool dashed) =>
        F($" fill=\"none\" stroke=\"#fff\" stroke-width=\"{width}\" stroke-linecap=\"round\" stroke-linejoin=\"round\"") +
        (dashed ? " stroke-dasharray=\"6 3 1.5 3\"" : "");

    /// <summary>Invariant culture with doubles rounded to 2 decimals.</summary>
    private sealed class Number : IFormatProvider, ICustomFormatter
    {
        public static readonly Number Instance = new();

        public object? GetFormat(Type? formatType) => formatType == typeof(ICustomFormatter) ? this : null;

        public string Format(string? format, object? arg, IFormatProvider? formatProvider) => arg switch
        {
            double d => Math.Round(d, 2).ToString("0.##", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(format, CultureInfo.InvariantCulture),
            _ => arg?.ToString() ?? "",
        };
    }
}
