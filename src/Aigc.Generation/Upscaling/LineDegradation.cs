using Aigc.Neural;

namespace Aigc.Generation.Upscaling;

/// <summary>
/// Makes a clean low-resolution drawing look like the generator's output: doubled strokes (a faint copy shifted by one
/// pixel), broken strokes (small gaps cut into lines), Gaussian blur, Gaussian noise and salt speckles. Pixels are
/// in [0, 1], white lines on black; the result is clamped to [0, 1].
/// </summary>
public sealed record LineDegradation
{
    /// <summary>The benchmark's fixed condition (issue 26): blur σ 0.8 px, noise σ 0.1, 1 % speckles at 64 px.</summary>
    public static LineDegradation Benchmark { get; } = new()
    {
        BlurMin = 0.8, BlurMax = 0.8, NoiseMin = 0.1, NoiseMax = 0.1, SpeckleMin = 0.01, SpeckleMax = 0.01,
        DoubledChance = 0, BrokenChance = 0, CleanChance = 0,
    };

    /// <summary>Training draws each amount uniformly around the benchmark's, so the network sees milder and worse inputs.</summary>
    public static LineDegradation Training { get; } = new();

    public double BlurMin { get; init; } = 0.4;

    public double BlurMax { get; init; } = 1.1;

    public double NoiseMin { get; init; }

    public double NoiseMax { get; init; } = 0.14;

    public double SpeckleMin { get; init; }

    public double SpeckleMax { get; init; } = 0.02;

    public double DoubledChance { get; init; } = 0.25;

    public double BrokenChance { get; init; } = 0.4;

    /// <summary>Share of inputs left clean, so a clean drawing is not made worse.</summary>
    public double CleanChance { get; init; } = 0.1;

    public string Describe() =>
        FormattableString.Invariant($"blur σ U({BlurMin}, {BlurMax}) px, noise σ U({NoiseMin}, {NoiseMax}), ") +
        FormattableString.Invariant($"speckles U({SpeckleMin}, {SpeckleMax}), doubled strokes p={DoubledChance}, ") +
        FormattableString.Invariant($"broken strokes p={BrokenChance}, clean p={CleanChance}");

    /// <summary>Degrades <paramref name="image"/> (size×size) in place.</summary>
    public void Apply(Span<float> image, int size, RandomSource random)
    {
        if (image.Length != size * size)
            throw new ArgumentException($"Expected {size}×{size} pixels, got {image.Length}.", nameof(image));
        if (random.NextDouble() < CleanChance)
            return;
        if (random.NextDouble() < DoubledChance)
            Double(image, size, random);
        if (random.NextDouble() < BrokenChance)
            Break(image, size, random);
        Blur(image, size, random.NextUniform(BlurMin, BlurMax));
        var noise = random.NextUniform(NoiseMin, NoiseMax);
        var speckles = random.NextUniform(SpeckleMin, SpeckleMax);
        for (var i = 0; i < image.Length; i++)
        {
            var v = image[i] + noise * random.NextGaussian();
            if (random.NextDouble() < speckles)
                v = random.NextDouble();
            image[i] = (float)Math.Clamp(v, 0, 1);
        }
    }

    private static void Double(Span<float> image, int size, RandomSource random)
    {
        var dx = (int)(random.NextUInt64() % 3) - 1;
        var dy = dx == 0 ? 1 - 2 * (int)(random.NextUInt64() % 2) : (int)(random.NextUInt64() % 3) - 1;
        var strength = (float)random.NextUniform(0.3, 0.7);
        var source = image.ToArray();
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
            {
                var (sx, sy) = (x - dx, y - dy);
                if (sx >= 0 && sy >= 0 && sx < size && sy < size)
                    image[y * size + x] = Math.Max(source[y * size + x], strength * source[sy * size + sx]);
            }
    }

    /// <summary>Clears 1–4 discs of radius 1–2 px centred on line pixels.</summary>
    private static void Break(Span<float> image, int size, RandomSource random)
    {
        var cuts = 1 + (int)(random.NextUInt64() % 4);
        for (var c = 0; c < cuts; c++)
        {
            for (var attempt = 0; attempt < 64; attempt++)
            {
                var at = (int)(random.NextUInt64() % (ulong)image.Length);
                if (image[at] < 0.5f)
                    continue;
                var (cx, cy, r) = (at % size, at / size, random.NextUniform(1, 2));
                for (var y = Math.Max(0, cy - 2); y <= Math.Min(size - 1, cy + 2); y++)
                    for (var x = Math.Max(0, cx - 2); x <= Math.Min(size - 1, cx + 2); x++)
                        if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r)
                            image[y * size + x] = 0;
                break;
            }
        }
    }

    /// <summary>Separable Gaussian blur, edges clamped.</summary>
    internal static void Blur(Span<float> image, int size, double sigma)
    {
        if (sigma <= 0)
            return;
        var radius = (int)Math.Ceiling(3 * sigma);
        var kernel = new float[2 * radius + 1];
        double sum = 0;
        for (var k = -radius; k <= radius; k++)
            sum += kernel[k + radius] = (float)Math.Exp(-k * k / (2 * sigma * sigma));
        for (var k = 0; k < kernel.Length; k++)
            kernel[k] /= (float)sum;
        var temp = new float[image.Length];
        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
            {
                float v = 0;
                for (var k = -radius; k <= radius; k++)
                    v += kernel[k + radius] * image[y * size + Math.Clamp(x + k, 0, size - 1)];
                temp[y * size + x] = v;
            }

        for (var y = 0; y < size; y++)
            for (var x = 0; x < size; x++)
            {
                float v = 0;
                for (var k = -radius; k <= radius; k++)
                    v += kernel[k + radius] * temp[Math.Clamp(y + k, 0, size - 1) * size + x];
                image[y * size + x] = v;
            }
    }
}
