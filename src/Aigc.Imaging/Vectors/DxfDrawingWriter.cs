using System.Globalization;
using System.Text;

namespace Aigc.Imaging.Vectors;

/// <summary>
/// Plain ASCII DXF R12 (AC1009), the oldest version every CAD program reads: a HEADER with the units ($INSUNITS 4,
/// millimetres) and the drawing's extents, then one POLYLINE (with its VERTEX entities and SEQEND) per traced line on
/// layer 0, in millimetres at <see cref="LineDrawing.MillimetresPerPixel"/>, y pointing up as CAD expects.
/// </summary>
public static class DxfDrawingWriter
{
    public static byte[] Write(LineDrawing drawing)
    {
        ArgumentNullException.ThrowIfNull(drawing);
        const double s = LineDrawing.MillimetresPerPixel;
        var sheetHeight = drawing.Height * s;
        var lines = drawing.Lines
            .Select(l => l.Points.Select(q => (X: q.X * s, Y: sheetHeight - q.Y * s)).ToList())
            .ToList();
        var points = lines.SelectMany(p => p).ToList();
        var (minX, minY) = points.Count == 0 ? (0, 0) : (points.Min(p => p.X), points.Min(p => p.Y));
        var (maxX, maxY) = points.Count == 0 ? (0, 0) : (points.Max(p => p.X), points.Max(p => p.Y));

        var dxf = new StringBuilder();
        Section(dxf, "HEADER");
        Pair(dxf, 9, "$ACADVER").Pair(1, "AC1009");
        Pair(dxf, 9, "$INSUNITS").Pair(70, "4");
        Point(Pair(dxf, 9, "$EXTMIN"), minX, minY);
        Point(Pair(dxf, 9, "$EXTMAX"), maxX, maxY);
        Pair(dxf, 0, "ENDSEC");
        Section(dxf, "ENTITIES");
        foreach (var line in lines)
        {
            // 66 = 1: vertices follow; 70 = 0: an open 2D polyline (a loop repeats its first vertex at the end).
            Point(Pair(dxf, 0, "POLYLINE").Pair(8, "0").Pair(66, "1"), 0, 0).Pair(70, "0");
            foreach (var (x, y) in line)
                Point(Pair(dxf, 0, "VERTEX").Pair(8, "0"), x, y);
            Pair(dxf, 0, "SEQEND").Pair(8, "0");
        }
        Pair(dxf, 0, "ENDSEC");
        Pair(dxf, 0, "EOF");
        return Encoding.ASCII.GetBytes(dxf.ToString());
    }

    private static void Section(StringBuilder dxf, string name) => Pair(dxf, 0, "SECTION").Pair(2, name);

    private static StringBuilder Point(StringBuilder dxf, double x, double y) =>
        dxf.Pair(10, N(x)).Pair(20, N(y)).Pair(30, "0.0");

    private static StringBuilder Pair(this StringBuilder dxf, int code, string value) =>
        dxf.Append(code.ToString(CultureInfo.InvariantCulture).PadLeft(3)).Append("\r\n").Append(value).Append("\r\n");

    private static string N(double value) => value.ToString("0.0###", CultureInfo.InvariantCulture);
}
