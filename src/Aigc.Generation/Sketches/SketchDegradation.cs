using Aigc.Neural;

namespace Aigc.Generation.Sketches;

/// <summary>
/// Makes a clean drawing look drawn by hand: a wobble (a smooth random displacement of up to
/// <see cref="Wobble"/> pixels), <see cref="Gaps"/> small erasures on the lines, and a thicker pen (a 3×3 dilation).
/// Used to train the encoder to read sketches and to test it on them; a function of its random stream.
/// </summary>
public sealed record SketchDegradation(double Wobble, int Gaps, bool ThickPen)
{
    /// <summary>The degradation the Proof's "hand-degraded" figures use.</summary>
    public static readonly SketchDegradation Hand = new(1.5, 10, true);

    /// <summary>A random mix for training: each effect on or off, of random strength.</summary>
    public static SketchDegradation Random(RandomSource random) => new(
        random.NextDouble() < 0.6 ? random.NextUniform(0.3, 2) : 0,
        random.NextDouble() < 0.6 ? (int)random.NextUniform(2, 14) : 0,
        random.NextDouble() < 0.5);

    /// <summary>The degraded copy of a size×size image in [−1, 1] with bright lines.</summary>
    public float[] Apply(ReadOnlySpan<float> image, int size, RandomSource random)
    {
        var result = Wobble > 0 ? Warp(image, size, random) : image.ToArray();
        if (ThickPen)
            result = Dilate(result, size);
        Erase(result, size, random);
        return result;
    }

    private float[] Warp(ReadOnlySpan<float> image, int size, RandomSource random)
    {
        // Two low-frequency waves per axis: a hand drifts over a stroke, it does not jitter pixel by pixel.
        var waves = new double[8];
        for (var i = 0; i < waves.Length; i++)
            waves[i] = random.NextUniform(0, 2 * Math.PI);
        var f1 = random.NextUniform(1, 2.5) * 2 * Math.PI / size;
        var f2 = random.NextUniform(2.5, 4) * 2 * Math.PI / size;
        var result = new float[size * size];
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
            {
                var dx = Wobble * 0.5 * (Math.Sin(f1 * y + waves[0]) + Math.Sin(f2 * (x + y) + waves[1]));
                var dy = Wobble * 0.5 * (Math.Sin(f1 * x + waves[2]) + Math.Sin(f2 * (x - y) + waves[3]));
                result[y * size + x] = Sample(image, size, x + dx, y + dy);
            }

        return result;
    }

    private static float Sample(ReadOnlySpan<float> image, int size, double x, double y)
    {
        var x0 = (int)Math.Floor(x);
        var y0 = (int)Math.Floor(y);
        double fx = x - x0, fy = y - y0;
        return (float)((1 - fy) * ((1 - fx) * At(image, size, x0, y0) + fx * At(image, size, x0 + 1, y0))
            + fy * ((1 - fx) * At(image, size, x0, y0 + 1) + fx * At(image, size, x0 + 1, y0 + 1)));
    }

    /// <summary>Outside the frame is background.</summary>
    private static double At(ReadOnlySpan<float> image, int size, int x, int y) =>
        x < 0 || y < 0 || x >= size || y >= size ? -1 : image[y * size + x];

    private static float[] Dilate(float[] image, int size)
    {
        var result = new float[image.Length];
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
            {
                var max = -1f;
                for (var dy = -1; dy <= 1; dy++)
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        int px = x + dx, py = y + dy;
                        if (px >= 0 && py >= 0 && px < size && py < size)
                            max = Math.Max(max, image[py * size + px]);
                    }

                result[y * size + x] = max;
            }

        return result;
    }

    /// <summary>Erases discs of radius 1.5–2.5 px centred on line pixels chosen at random.</summary>
    private void Erase(float[] image, int size, RandomSource random)
    {
        var lines = new List<int>();
        for (var i = 0; i < image.Length; i++)
            if (image[i] > 0)
                lines.Add(i);
        for (var g = 0; g < Gaps && lines.Count > 0; g++)
        {
            var centre = lines[(int)(random.NextDouble() * lines.Count)];
            int cx = centre % size, cy = centre / size;
            var r = random.NextUniform(1.5, 2.5);
            for (var y = Math.Max(0, (int)(cy - r)); y <= Math.Min(size - 1, (int)(cy + r)); y++)
                for (var x = Math.Max(0, (int)(cx - r)); x <= Math.Min(size - 1, (int)(cx + r)); x++)
                    if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r)
                        image[y * size + x] = -1;
        }
    }
}
