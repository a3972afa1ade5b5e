using Aigc.Neural;

namespace Aigc.Generation.Datasets;

/// <summary>
/// Draws one part class in one view. Every dimension is drawn from <see cref="Random"/>, so an image is a
/// function of its seed; <see cref="Level"/> (0 low, 1 medium, 2 high) adds centre lines, chamfers, keyways,
/// extra features and finally dimension lines.
/// </summary>
internal abstract class PartSketch
{
    protected const double Cx = 50;
    protected const double Cy = 50;

    protected SvgDrawing D { get; private set; } = null!;

    protected RandomSource Random { get; private set; } = null!;

    protected int Level { get; private set; }

    public string Draw(string view, int level, RandomSource random)
    {
        D = new SvgDrawing();
        Random = random;
        Level = level;
        switch (view)
        {
            case "front":
                Front();
                break;
            case "side":
                Side(section: false);
                break;
            case "section":
                Side(section: true);
                break;
            default:
                throw new ArgumentException($"Unknown view \"{view}\".", nameof(view));
        }

        return D.ToSvg();
    }

    protected abstract void Front();

    protected abstract void Side(bool section);

    protected double Uniform(double low, double high) => Random.NextUniform(low, high);

    protected int Integer(int low, int highInclusive) => low + (int)(Random.NextDouble() * (highInclusive - low + 1));

    protected bool Chance(double p) => Random.NextDouble() < p;

    protected static (double X, double Y) Polar(double r, double angle) => (Cx + r * Math.Cos(angle), Cy + r * Math.Sin(angle));

    /// <summary>A bore with, from medium complexity, a keyway notch at the top.</summary>
    protected void Bore(double r)
    {
        if (Level == 0)
        {
            D.Circle(Cx, Cy, r);
            return;
        }

        var k = r * 0.35;
        var h = Math.Sqrt(r * r - k * k);
        D.Path(SvgDrawing.F($"M{Cx - k} {Cy - h} L{Cx - k} {Cy - r - k} L{Cx + k} {Cy - r - k} L{Cx + k} {Cy - h} A{r} {r} 0 1 1 {Cx - k} {Cy - h} Z"));
    }

    /// <summary>Holes equally spaced on a pitch circle, with the pitch circle dashed from medium complexity.</summary>
    protected void HoleCircle(int count, double pitch, double r, double phase)
    {
        if (Level >= 1)
            D.Circle(Cx, Cy, pitch, SvgDrawing.Thin, dashed: true);
        for (var i = 0; i < count; i++)
        {
            var (x, y) = Polar(pitch, phase + 2 * Math.PI * i / count);
            D.Circle(x, y, r, SvgDrawing.Thick * 0.8);
        }
    }

    protected void FrontCentreLines(double reach)
    {
        if (Level >= 1)
            D.CentreCross(Cx, Cy, reach);
        if (Level == 2)
            D.DimensionHorizontal(Cx - reach + 6, Cx + reach - 6, Cy + reach + 2);
    }

    /// <summary>A side view's axis (medium complexity up) and its overall length dimension below the outline (high).</summary>
    protected void SideAxis(double x0, double length, double radius)
    {
        if (Level >= 1)
            D.Line(x0 - 5, Cy, x0 + length + 5, Cy, dashed: true);
        if (Level == 2)
            D.DimensionHorizontal(x0, x0 + length, Cy + radius + 7);
    }
}
