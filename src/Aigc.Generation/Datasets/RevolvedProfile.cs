namespace Aigc.Generation.Datasets;

/// <summary>
/// Side and section views of a part turned about a horizontal axis: steps of (length, radius) left to right,
/// an optional bore, chamfers on the outer ends. The section hatches the material between silhouette and bore.
/// </summary>
internal sealed record RevolvedProfile(IReadOnlyList<(double Length, double Radius)> Steps, double Bore, double Chamfer)
{
    public double Length => Steps.Sum(s => s.Length);

    public double MaxRadius => Steps.Max(s => s.Radius);

    /// <summary>The upper silhouette, left to right, at distance from the axis (positive = up).</summary>
    public List<(double X, double R)> Upper(double x0)
    {
        var c = Chamfer;
        var points = new List<(double X, double R)> { (x0, Steps[0].Radius - c), (x0 + c, Steps[0].Radius) };
        var x = x0;
        for (var i = 0; i < Steps.Count; i++)
        {
            x += Steps[i].Length;
            if (i == Steps.Count - 1)
            {
                points.Add((x - c, Steps[i].Radius));
                points.Add((x, Steps[i].Radius - c));
            }
            else
            {
                points.Add((x, Steps[i].Radius));
                points.Add((x, Steps[i + 1].Radius));
            }
        }

        return points;
    }

    public void Draw(SvgDrawing d, double cx, double cy, bool section, int level)
    {
        var x0 = cx - Length / 2;
        var upper = Upper(x0);
        var top = upper.Select(p => (p.X, cy - p.R)).ToList();
        var bottom = upper.Select(p => (p.X, cy + p.R)).Reverse().ToList();
        var x1 = x0 + Length;
        if (section)
        {
            if (Bore > 0)
            {
                var spacing = level == 2 ? 3.2 : 4.2;
                d.Hatch(SvgDrawing.PolygonPath([.. top, (x1, cy - Bore), (x0, cy - Bore)]), spacing);
                d.Hatch(SvgDrawing.PolygonPath([.. bottom, (x0, cy + Bore), (x1, cy + Bore)]), spacing);
                d.Line(x0, cy - Bore, x1, cy - Bore, SvgDrawing.Thick);
                d.Line(x0, cy + Bore, x1, cy + Bore, SvgDrawing.Thick);
            }
            else
            {
                d.Hatch(SvgDrawing.PolygonPath([.. top, .. bottom]), level == 2 ? 3.2 : 4.2);
            }
        }
        else if (Bore > 0)
        {
            d.Line(x0, cy - Bore, x1, cy - Bore, dashed: true);
            d.Line(x0, cy + Bore, x1, cy + Bore, dashed: true);
        }

        d.Polygon([.. top, .. bottom]);
        var x = x0;
        for (var i = 0; i < Steps.Count - 1; i++)
        {
            x += Steps[i].Length;
            var r = Math.Min(Steps[i].Radius, Steps[i + 1].Radius);
            d.Line(x, cy - r, x, cy + r, SvgDrawing.Thick);
        }

        if (Chamfer > 0)
        {
            d.Line(x0 + Chamfer, cy - Steps[0].Radius, x0 + Chamfer, cy + Steps[0].Radius);
            d.Line(x1 - Chamfer, cy - Steps[^1].Radius, x1 - Chamfer, cy + Steps[^1].Radius);
        }

        if (level >= 1)
            d.Line(x0 - 5, cy, x1 + 5, cy, dashed: true);
        if (level == 2)
        {
            d.DimensionHorizontal(x0, x1, cy + MaxRadius + 7);
            d.DimensionVertical(cy - Steps[^1].Radius, cy + Steps[^1].Radius, x1 + 6);
        }
    }
}
