namespace Aigc.Imaging.Vectors;

/// <summary>Operations on a binary image held as one bool per pixel, row-major.</summary>
internal static class Skeleton
{
    /// <summary>Zhang–Suen thinning in place: peels boundary pixels in two alternating passes until none can go.</summary>
    public static void Thin(bool[] pixels, int width, int height)
    {
        var remove = new List<int>();
        bool changed;
        do
        {
            changed = false;
            for (var pass = 0; pass < 2; pass++)
            {
                remove.Clear();
                for (var y = 1; y < height - 1; y++)
                for (var x = 1; x < width - 1; x++)
                {
                    var i = y * width + x;
                    if (pixels[i] && Removable(pixels, width, i, pass)) remove.Add(i);
                }
                foreach (var i in remove) pixels[i] = false;
                changed |= remove.Count > 0;
            }
        } while (changed);
        // Thinning never looks at the outermost rows and columns; a line touching the border would keep a thick edge.
        for (var x = 0; x < width; x++) pixels[x] = pixels[(height - 1) * width + x] = false;
        for (var y = 0; y < height; y++) pixels[y * width] = pixels[y * width + width - 1] = false;
    }

    /// <summary>
    /// Zhang–Suen leaves staircase pixels (a pixel with set neighbours both north and east, say): they make every
    /// corner a tiny loop of three junctions. Removing each one whose neighbours stay connected without it leaves a
    /// skeleton where only real ends and forks have other than two neighbours.
    /// </summary>
    public static void DropStaircases(bool[] pixels, int width, int height)
    {
        for (var y = 1; y < height - 1; y++)
        for (var x = 1; x < width - 1; x++)
        {
            var i = y * width + x;
            if (!pixels[i]) continue;
            var ring = new bool[8];
            for (var k = 0; k < 8; k++) ring[k] = pixels[i + Ring[k].Dy * width + Ring[k].Dx];
            var rightAngle = (ring[0] && ring[2]) || (ring[2] && ring[4])
                || (ring[4] && ring[6]) || (ring[6] && ring[0]);
            if (rightAngle && Groups(ring) == 1) pixels[i] = false;
        }
    }

    // Clockwise from north; even positions are the edge-on neighbours.
    private static readonly (int Dx, int Dy)[] Ring =
        [(0, -1), (1, -1), (1, 0), (1, 1), (0, 1), (-1, 1), (-1, 0), (-1, -1)];

    /// <summary>How many 8-connected groups the set ring pixels form among themselves (the centre left out).</summary>
    private static int Groups(bool[] ring)
    {
        var group = new int[8];
        Array.Fill(group, -1);
        var groups = 0;
        for (var k = 0; k < 8; k++)
        {
            if (!ring[k] || group[k] >= 0) continue;
            var stack = new Stack<int>([k]);
            group[k] = groups;
            while (stack.Count > 0)
            {
                var a = stack.Pop();
                for (var b = 0; b < 8; b++)
                    if (ring[b] && group[b] < 0 && Touching(a, b))
                    {
                        group[b] = groups;
                        stack.Push(b);
                    }
            }
            groups++;
        }
        return groups;
    }

    /// <summary>Ring neighbours touch when next to each other on the ring, or both edge-on and a corner apart.</summary>
    private static bool Touching(int a, int b)
    {
        var apart = Math.Min((a - b + 8) % 8, (b - a + 8) % 8);
        return apart == 1 || (apart == 2 && a % 2 == 0);
    }

    private static bool Removable(bool[] p, int width, int i, int pass)
    {
        // P2..P9 clockwise from north.
        var n = p[i - width];
        var ne = p[i - width + 1];
        var e = p[i + 1];
        var se = p[i + width + 1];
        var s = p[i + width];
        var sw = p[i + width - 1];
        var w = p[i - 1];
        var nw = p[i - width - 1];
        var count = B(n) + B(ne) + B(e) + B(se) + B(s) + B(sw) + B(w) + B(nw);
        if (count is < 2 or > 6) return false;
        var transitions = T(n, ne) + T(ne, e) + T(e, se) + T(se, s) + T(s, sw) + T(sw, w) + T(w, nw) + T(nw, n);
        if (transitions != 1) return false;
        return pass == 0 ? !(n && e && s) && !(e && s && w) : !(n && e && w) && !(n && s && w);
    }

    private static int B(bool v) => v ? 1 : 0;

    private static int T(bool from, bool to) => !from && to ? 1 : 0;

    /// <summary>
    /// How deep inside its line each pixel lies: 1 next to the background, 2 one pixel further in, … (a chamfer
    /// distance, 1 edge-on and 1.4 diagonally, close to Euclidean at the widths drawings have); 0 off the lines.
    /// </summary>
    public static double[] Depth(bool[] pixels, int width, int height)
    {
        var depth = pixels.Select(p => p ? double.MaxValue : 0).ToArray();
        double At(int x, int y) => x < 0 || y < 0 || x >= width || y >= height ? 0 : depth[y * width + x];
        for (var y = 0; y < height; y++)
        for (var x = 0; x < width; x++)
            if (pixels[y * width + x])
                depth[y * width + x] = Math.Min(Math.Min(At(x - 1, y), At(x, y - 1)) + 1,
                    Math.Min(At(x - 1, y - 1), At(x + 1, y - 1)) + 1.4);
        for (var y = height - 1; y >= 0; y--)
        for (var x = width - 1; x >= 0; x--)
            if (pixels[y * width + x])
                depth[y * width + x] = Math.Min(depth[y * width + x], Math.Min(Math.Min(At(x + 1, y), At(x, y + 1)) + 1,
                    Math.Min(At(x + 1, y + 1), At(x - 1, y + 1)) + 1.4));
        return depth;
    }

    /// <summary>Clears 8-connected pieces smaller than <paramref name="minimum"/> pixels; returns the pixels kept.</summary>
    public static int DropSmallPieces(bool[] pixels, int width, int height, int minimum)
    {
        var seen = new bool[pixels.Length];
        var piece = new List<int>();
        var stack = new Stack<int>();
        var kept = 0;
        for (var start = 0; start < pixels.Length; start++)
        {
            if (!pixels[start] || seen[start]) continue;
            piece.Clear();
            seen[start] = true;
            stack.Push(start);
            while (stack.Count > 0)
            {
                var i = stack.Pop();
                piece.Add(i);
                foreach (var j in Neighbours(pixels, width, height, i))
                    if (!seen[j])
                    {
                        seen[j] = true;
                        stack.Push(j);
                    }
            }
            if (piece.Count >= minimum) kept += piece.Count;
            else foreach (var i in piece) pixels[i] = false;
        }
        return kept;
    }

    /// <summary>The set 8-neighbours of pixel <paramref name="i"/>, edge-on neighbours first.</summary>
    public static IEnumerable<int> Neighbours(bool[] pixels, int width, int height, int i)
    {
        var (x, y) = (i % width, i / width);
        foreach (var (dx, dy) in Offsets)
        {
            var (nx, ny) = (x + dx, y + dy);
            if (nx >= 0 && ny >= 0 && nx < width && ny < height && pixels[ny * width + nx]) yield return ny * width + nx;
        }
    }

    private static readonly (int Dx, int Dy)[] Offsets =
        [(0, -1), (1, 0), (0, 1), (-1, 0), (1, -1), (1, 1), (-1, 1), (-1, -1)];
}
