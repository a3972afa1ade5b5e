namespace Aigc.Generation.Upscaling;

/// <summary>
/// Crispness of a line drawing against its true render: line-pixel F1 with both binarised at mid-grey (≥ 128), and
/// the share of in-between grey pixels (15–85 % of full scale) — blur and halos show up there.
/// </summary>
public sealed record LineQuality(double F1, double GreyShare)
{
    public static double LineF1(ReadOnlySpan<byte> image, ReadOnlySpan<byte> truth)
    {
        if (image.Length != truth.Length)
            throw new ArgumentException($"Image ({image.Length} px) and truth ({truth.Length} px) differ in size.");
        long tp = 0, fp = 0, fn = 0;
        for (var i = 0; i < image.Length; i++)
        {
            var (a, b) = (image[i] >= 128, truth[i] >= 128);
            if (a && b) tp++;
            else if (a) fp++;
            else if (b) fn++;
        }

        return tp == 0 ? (fp + fn == 0 ? 1 : 0) : 2.0 * tp / (2.0 * tp + fp + fn);
    }

    /// <summary>Share of pixels strictly between 15 % and 85 % of full scale (38 &lt; v &lt; 217).</summary>
    public static double InBetweenShare(ReadOnlySpan<byte> image)
    {
        var count = 0;
        foreach (var v in image)
            if (v > 0.15 * 255 && v < 0.85 * 255)
                count++;
        return image.Length == 0 ? 0 : (double)count / image.Length;
    }
}
