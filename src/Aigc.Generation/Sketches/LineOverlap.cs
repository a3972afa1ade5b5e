namespace Aigc.Generation.Sketches;

/// <summary>Line pixels are those above mid-grey (0 in [−1, 1]: lines are bright, decision 0005).</summary>
public static class LineOverlap
{
    /// <summary>|A ∩ B| / |A ∪ B| of the two images' line pixels; 1 when neither has any.</summary>
    public static double IoU(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
            throw new ArgumentException($"Images of {a.Length} and {b.Length} values cannot be compared.", nameof(b));
        int both = 0, either = 0;
        for (var i = 0; i < a.Length; i++)
        {
            bool la = a[i] > 0, lb = b[i] > 0;
            both += la && lb ? 1 : 0;
            either += la || lb ? 1 : 0;
        }

        return either == 0 ? 1 : (double)both / either;
    }
}
