namespace Aigc.Imaging.Vectors;

/// <summary>
/// Cuts a one-pixel skeleton into paths (pixel indices): every path between two nodes (pixels with other than two neighbours:
/// ends and junctions) becomes one path, and what is left — closed loops such as circles — is walked from any
/// pixel back to itself. Each skeleton edge lands in exactly one path.
/// </summary>
internal sealed class SkeletonWalk(bool[] pixels, int width, int height)
{
    private readonly HashSet<long> _walked = [];

    public IEnumerable<IReadOnlyList<int>> Paths()
    {
        for (var i = 0; i < pixels.Length; i++)
            if (pixels[i] && Degree(i) != 2)
                foreach (var polyline in WalkAllFrom(i))
                    yield return polyline;
        for (var i = 0; i < pixels.Length; i++)
            if (pixels[i])
                foreach (var polyline in WalkAllFrom(i))
                    yield return polyline;
    }

    private IEnumerable<IReadOnlyList<int>> WalkAllFrom(int start)
    {
        foreach (var next in Skeleton.Neighbours(pixels, width, height, start).ToList())
        {
            if (!_walked.Add(Edge(start, next))) continue;
            var path = new List<int> { start, next };
            var (previous, current) = (start, next);
            while (current != start && Degree(current) == 2)
            {
                var step = Skeleton.Neighbours(pixels, width, height, current)
                    .FirstOrDefault(n => n != previous && !_walked.Contains(Edge(current, n)), -1);
                if (step < 0) break;
                _walked.Add(Edge(current, step));
                path.Add(step);
                (previous, current) = (current, step);
            }
            yield return path;
        }
    }

    private int Degree(int i) => Skeleton.Neighbours(pixels, width, height, i).Count();

    private long Edge(int a, int b) => a < b ? (long)a * pixels.Length + b : (long)b * pixels.Length + a;
}
