namespace Aigc.Imaging.Vectors;

/// <summary>
/// Traces the light lines of a blueprint raster (white on black, decision 0005) into polylines: threshold at mid-grey,
/// thin to a one-pixel skeleton (Zhang–Suen), walk the skeleton from its ends and junctions into polylines, and
/// simplify each (Ramer–Douglas–Peucker). Our own code: potrace, the usual tool, is GPL.
/// </summary>
public static class LineTracer
{
    /// <summary>Lighter than this (0–255 luminance) is line.</summary>
    public const byte Threshold = 128;

    /// <summary>How far (pixels) a simplified polyline may stray from the skeleton: under half the thinnest stroke.</summary>
    public const double Tolerance = 0.75;

    /// <summary>Skeleton pieces smaller than this many pixels are the generator's speckles, not lines.</summary>
    private const int MinimumPieceSize = 4;

    /// <summary>Holes in a line smaller than this many pixels are noise, not the space between two lines.</summary>
    private const int MinimumHoleSize = 16;

    public static LineDrawing Trace(VipsImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var opaque = image.Flatten(0, 0, 0);
        using var grey = opaque.ToGreyscale();
        var luminance = grey.ToPixels();
        var (width, height) = (image.Width, image.Height);
        var line = luminance.Select(v => v >= Threshold).ToArray();
        // The generator's noise pits its lines with pinholes; thinning would walk around each one, so fill them.
        var background = line.Select(v => !v).ToArray();
        Skeleton.DropSmallPieces(background, width, height, MinimumHoleSize);
        line = background.Select(v => !v).ToArray();
        var depth = Skeleton.Depth(line, width, height);
        var skeleton = (bool[])line.Clone();
        Skeleton.Thin(skeleton, width, height);
        Skeleton.DropStaircases(skeleton, width, height);
        Skeleton.DropSmallPieces(skeleton, width, height, MinimumPieceSize);
        var lines = new SkeletonWalk(skeleton, width, height).Paths()
            .Select(path => new TracedLine(
                Simplify(path.Select(i => new PixelPoint(i % width + 0.5, i / width + 0.5)).ToList(), Tolerance),
                // A skeleton pixel d deep sits in the middle of a line about 2d wide (pixel-centred skeletons sit
                // up to half a pixel off a line's true centre; 2d covers that: measured against 2d ± 0.5, 2d - 1).
                Math.Max(1, 2 * path.Average(i => depth[i]))))
            .ToList();
        return new LineDrawing(width, height, lines);
    }

    /// <summary>Ramer–Douglas–Peucker, iterative (a long skeleton would recurse deeply): keeps both ends.</summary>
    internal static IReadOnlyList<PixelPoint> Simplify(IReadOnlyList<PixelPoint> points, double tolerance)
    {
        if (points.Count < 3) return points;
        var keep = new bool[points.Count];
        keep[0] = keep[^1] = true;
        var spans = new Stack<(int First, int Last)>();
        spans.Push((0, points.Count - 1));
        while (spans.Count > 0)
        {
            var (first, last) = spans.Pop();
            var (farthest, distance) = (-1, tolerance);
            for (var i = first + 1; i < last; i++)
            {
                var d = Distance(points[i], points[first], points[last]);
                if (d > distance) (farthest, distance) = (i, d);
            }
            if (farthest < 0) continue;
            keep[farthest] = true;
            spans.Push((first, farthest));
            spans.Push((farthest, last));
        }
        return points.Where((_, i) => keep[i]).ToList();
    }

    /// <summary>From <paramref name="p"/> to the segment a–b (to a when they coincide, as in a closed loop).</summary>
    private static double Distance(PixelPoint p, PixelPoint a, PixelPoint b)
    {
        var (dx, dy) = (b.X - a.X, b.Y - a.Y);
        var length2 = dx * dx + dy * dy;
        var t = length2 == 0 ? 0 : Math.Clamp(((p.X - a.X) * dx + (p.Y - a.Y) * dy) / length2, 0, 1);
        var (ex, ey) = (a.X + t * dx - p.X, a.Y + t * dy - p.Y);
        return Math.Sqrt(ex * ex + ey * ey);
    }
}
