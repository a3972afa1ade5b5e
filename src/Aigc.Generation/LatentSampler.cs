using Aigc.Neural;

namespace Aigc.Generation;

/// <summary>
/// Counter-based latent noise: image <c>index</c> of <c>seed</c> has its own SplitMix64 stream, seeded with
/// Mix(seed ⊕ Mix(index + φ)); element j is Box–Muller of that stream's outputs 2j+1 and 2j+2. No state is
/// shared between images, so a latent depends only on (seed, index) — not on batch size, threads or BLAS path.
/// </summary>
public static class LatentSampler
{
    private const ulong Golden = 0x9E3779B97F4A7C15UL;
    private const ulong IndexSalt = 0xD1B54A32D192ED03UL;

    public static void Fill(ulong seed, long index, Span<float> latent)
    {
        var stream = RandomSource.Mix(seed ^ RandomSource.Mix(unchecked((ulong)index + IndexSalt)));
        for (var j = 0; j < latent.Length; j++)
        {
            var a = RandomSource.Mix(unchecked(stream + Golden * (ulong)(2 * j + 1)));
            var b = RandomSource.Mix(unchecked(stream + Golden * (ulong)(2 * j + 2)));
            latent[j] = (float)RandomSource.Gaussian(a, b);
        }
    }

    /// <summary>
    /// latent ← √(1−s²)·latent + s·variation. For two independent standard normal vectors the result is again
    /// standard normal (the weights' squares sum to 1), so every strength stays on the prior the generator was
    /// trained on; s = 0 returns the latent unchanged, bit for bit.
    /// </summary>
    public static void Vary(Span<float> latent, ReadOnlySpan<float> variation, double strength)
    {
        if (!(strength >= 0 && strength <= 1))
            throw new ArgumentOutOfRangeException(nameof(strength), $"Variation strength must be in [0, 1] (got {strength}).");
        if (variation.Length != latent.Length)
            throw new ArgumentException("The variation latent must have the latent's length.", nameof(variation));
        var keep = Math.Sqrt(1 - strength * strength);
        for (var j = 0; j < latent.Length; j++)
            latent[j] = (float)(keep * latent[j] + strength * variation[j]);
    }

    /// <summary>
    /// Spherical interpolation a ← slerp(a, b, t): Gaussian latents live near a sphere, and a straight line between
    /// two of them passes through low-norm latents the generator rarely saw. t = 0 gives a and t = 1 gives b, bit for
    /// bit; nearly parallel latents fall back to a straight line.
    /// </summary>
    public static void Slerp(Span<float> a, ReadOnlySpan<float> b, double t)
    {
        if (!(t >= 0 && t <= 1))
            throw new ArgumentOutOfRangeException(nameof(t), $"Interpolation position must be in [0, 1] (got {t}).");
        if (b.Length != a.Length)
            throw new ArgumentException("Both latents must have the same length.", nameof(b));
        double dot = 0, normA = 0, normB = 0;
        for (var j = 0; j < a.Length; j++)
        {
            dot += (double)a[j] * b[j];
            normA += (double)a[j] * a[j];
            normB += (double)b[j] * b[j];
        }

        var cos = normA > 0 && normB > 0 ? Math.Clamp(dot / Math.Sqrt(normA * normB), -1, 1) : 1;
        var theta = Math.Acos(cos);
        double wa, wb;
        if (Math.Sin(theta) < 1e-6)
        {
            wa = 1 - t;
            wb = t;
        }
        else
        {
            wa = Math.Sin((1 - t) * theta) / Math.Sin(theta);
            wb = Math.Sin(t * theta) / Math.Sin(theta);
        }

        for (var j = 0; j < a.Length; j++)
            a[j] = (float)(wa * a[j] + wb * b[j]);
    }
}
