namespace Aigc.Generation.Manifest;

public sealed record NetworkSpec
{
    public required IReadOnlyList<LayerSpec> Layers { get; init; }

    /// <summary>Discriminator only: spectral norm on every convolution/linear layer and the head (default true).</summary>
    public bool SpectralNorm { get; init; } = true;

    internal void Validate(string network)
    {
        if (Layers is null || Layers.Count == 0)
            throw new ManifestException($"{network}.layers must list at least one layer.");
        for (var i = 0; i < Layers.Count; i++)
            Layers[i].Validate($"{network}.layers[{i}]");
    }
}
