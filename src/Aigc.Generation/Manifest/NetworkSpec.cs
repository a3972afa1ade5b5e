namespace Aigc.Generation.Manifest;

public sealed record NetworkSpec
{
    public required IReadOnlyList<LayerSpec> Layers { get; init; }

    /// <summary>Discriminator only: spectral norm on every convolution/linear layer and the head (default true).</summary>
    public bool SpectralNorm { get; init; } = true;

    /// <summary>
    /// Discriminator only: PacGAN packing (Lin et al. 2018). D judges groups of this many images that share one
    /// condition, stacked along the channel axis, so a generator that ignores its latent gives groups of
    /// near-identical images that real data of that condition never shows. Absent means 1: one image at a time.
    /// </summary>
    public int? Pack { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public int PackSize => Pack ?? 1;

    internal void Validate(string network)
    {
        if (PackSize is < 1 or > 8)
            throw new ManifestException($"{network}.pack must be 1 to 8 (got {Pack}).");
        if (Layers is null || Layers.Count == 0)
            throw new ManifestException($"{network}.layers must list at least one layer.");
        for (var i = 0; i < Layers.Count; i++)
            Layers[i].Validate($"{network}.layers[{i}]");
    }
}
