namespace Aigc.Imaging.Vectors;

/// <summary>
/// Cuts a one-pixel skeleton into paths (pixel indices): every path between two nodes (pixels with other than two neighbours:
/// ends and junctions) becomes one path, and what is left — closed loops such as circles — is walked from any
/// pixel back to itself. Each skeleton edge lands in one path, except the links inside a fork's clump of junction pixels.
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
            // A fork thins to a clump of touching junction pixels; the one-step links inside it are no line of the
            // drawing (the arms' round caps cover them) and would only litter a CAD file with specks.
            if (path.Count == 2 && Degree(start) > 2 && Degree(next) > 2) continue;
            yield return path;
        }
    }

    private int Degree(int i) => Skeleton.Neighbours(pixels, width, height, i).Count();

    private long Edge(int a, int b) => a < b ? (long)a * pixels.Length + b : (long)b * pixels.Length + a;
}
