using Aigc.Generation.Manifest;

namespace Aigc.Generation;

/// <summary>
/// One image to generate: its conditions and the (seed, index) that fixes its latent. A <see cref="Variation"/>
/// mixes a second latent in; a <see cref="Toward"/> endpoint moves latent and conditions part of the way to another
/// image. Without either, the image is a plain sample.
/// </summary>
public sealed record GenerationItem(ConditionValues Conditions, ulong Seed, long Index = 0)
{
    /// <summary>
    /// A given base latent (a sketch's, found by the encoder) used instead of the one of (Seed, Index); variation and
    /// interpolation apply to it as to any other.
    /// </summary>
    public float[]? Latent { get; init; }

    public LatentVariation? Variation { get; init; }

    public InterpolationEndpoint? Toward { get; init; }
}

/// <summary>The latent (Seed, Index) mixed into an image's own latent with <see cref="Strength"/> in [0, 1]; see <see cref="LatentSampler.Vary"/>.</summary>
public sealed record LatentVariation(ulong Seed, long Index, double Strength);

/// <summary>The other end of an interpolation and how far along it the image lies (<see cref="T"/> in [0, 1]: 0 is the image itself, 1 this endpoint).</summary>
public sealed record InterpolationEndpoint(ConditionValues Conditions, ulong Seed, long Index, double T);
