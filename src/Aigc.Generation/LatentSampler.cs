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
}
