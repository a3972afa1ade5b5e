using System.Numerics;
using System.Runtime.InteropServices;

namespace Aigc.Imaging.Kernels;

/// <summary>
/// Separable Lanczos-3 enlargement of 8-bit interleaved pixels: weights normalised per output position, edges
/// clamped, a vectorised vertical pass. libvips 8.14 enlarges through affine + an interpolator, which cost
/// ~12 ms for 64→512 on one core here; this costs about 1 ms (docs/decisions/0003-libvips.md).
/// </summary>
internal static class Lanczos3
{
    private const int Support = 3;
    private const int Taps = 2 * Support;

    public static byte[] Enlarge(ReadOnlySpan<byte> source, int width, int height, int bands, int newWidth, int newHeight)
    {
        if (newWidth < width || newHeight < height)
            throw new ArgumentOutOfRangeException(nameof(newWidth), $"Lanczos3.Enlarge only enlarges ({width}×{height} → {newWidth}×{newHeight}).");
        var (xIndex, xWeight) = Weights(width, newWidth);
        var (yIndex, yWeight) = Weights(height, newHeight);

        // Horizontal pass into floats: height rows of newWidth·bands samples.
        var rowLength = newWidth * bands;
        var rows = new float[height * rowLength];
        for (var y = 0; y < height; y++)
        {
            var src = source.Slice(y * width * bands, width * bands);
            var dst = rows.AsSpan(y * rowLength, rowLength);
            for (var x = 0; x < newWidth; x++)
            {
                var taps = x * Taps;
                for (var b = 0; b < bands; b++)
                {
                    var sum = 0f;
                    for (var t = 0; t < Taps; t++)
                        sum += xWeight[taps + t] * src[xIndex[taps + t] * bands + b];
                    dst[x * bands + b] = sum;
                }
            }
        }

        // Vertical pass: each output row is a weighted sum of six float rows, a vector at a time.
        var output = new byte[newHeight * rowLength];
        var accumulator = new float[rowLength];
        for (var y = 0; y < newHeight; y++)
        {
            var taps = y * Taps;
            accumulator.AsSpan().Clear();
            for (var t = 0; t < Taps; t++)
                MultiplyAdd(rows.AsSpan(yIndex[taps + t] * rowLength, rowLength), yWeight[taps + t], accumulator);
            RoundToBytes(accumulator, output.AsSpan(y * rowLength, rowLength));
        }
        return output;
    }

    private static void MultiplyAdd(ReadOnlySpan<float> row, float weight, Span<float> accumulator)
    {
        var i = 0;
        var w = new Vector<float>(weight);
        var rowVectors = MemoryMarshal.Cast<float, Vector<float>>(row);
        var accVectors = MemoryMarshal.Cast<float, Vector<float>>(accumulator);
        for (; i < rowVectors.Length; i++)
            accVectors[i] += rowVectors[i] * w;
        for (i *= Vector<float>.Count; i < row.Length; i++)
            accumulator[i] += row[i] * weight;
    }

    /// <summary>Rounds half up and saturates to 0–255, four float vectors into one byte vector.</summary>
    private static void RoundToBytes(ReadOnlySpan<float> values, Span<byte> output)
    {
        var half = new Vector<float>(0.5f);
        var max = new Vector<float>(255f);
        var n = Vector<float>.Count;
        var i = 0;
        for (; i + 4 * n <= values.Length; i += 4 * n)
        {
            var a = Vector.ConvertToInt32(Vector.Min(Vector.Max(new Vector<float>(values[i..]) + half, Vector<float>.Zero), max));
            var b = Vector.ConvertToInt32(Vector.Min(Vector.Max(new Vector<float>(values[(i + n)..]) + half, Vector<float>.Zero), max));
            var c = Vector.ConvertToInt32(Vector.Min(Vector.Max(new Vector<float>(values[(i + 2 * n)..]) + half, Vector<float>.Zero), max));
            var d = Vector.ConvertToInt32(Vector.Min(Vector.Max(new Vector<float>(values[(i + 3 * n)..]) + half, Vector<float>.Zero), max));
            var shorts1 = Vector.Narrow(Vector.AsVectorUInt32(a), Vector.AsVectorUInt32(b));
            var shorts2 = Vector.Narrow(Vector.AsVectorUInt32(c), Vector.AsVectorUInt32(d));
            Vector.Narrow(shorts1, shorts2).CopyTo(output[i..]);
        }
        for (; i < values.Length; i++)
            output[i] = (byte)Math.Clamp(values[i] + 0.5f, 0f, 255f);
    }

    /// <summary>For each output position, six source indices (clamped to the edge) and their normalised weights.</summary>
    private static (int[] Index, float[] Weight) Weights(int sourceSize, int targetSize)
    {
        var index = new int[targetSize * Taps];
        var weight = new float[targetSize * Taps];
        var scale = (double)sourceSize / targetSize;
        Span<double> w = stackalloc double[Taps];
        for (var o = 0; o < targetSize; o++)
        {
            var centre = (o + 0.5) * scale - 0.5;
            var first = (int)Math.Floor(centre) - Support + 1;
            var sum = 0.0;
            for (var t = 0; t < Taps; t++)
            {
                w[t] = Kernel(centre - (first + t));
                sum += w[t];
            }
            for (var t = 0; t < Taps; t++)
            {
                index[o * Taps + t] = Math.Clamp(first + t, 0, sourceSize - 1);
                weight[o * Taps + t] = (float)(w[t] / sum);
            }
        }
        return (index, weight);
    }

    internal static double Kernel(double x)
    {
        x = Math.Abs(x);
        if (x < 1e-9) return 1;
        if (x >= Support) return 0;
        var px = Math.PI * x;
        return Support * Math.Sin(px) * Math.Sin(px / Support) / (px * px);
    }
}
