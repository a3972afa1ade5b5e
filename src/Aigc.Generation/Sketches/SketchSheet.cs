using Aigc.Generation.Datasets;
using Aigc.Neural;

namespace Aigc.Generation.Sketches;

/// <summary>
/// One row per part: a hand-degraded drawing of a seed the encoder never saw, the closest drawing the encoder and
/// latent steps find, and four variants around it (strength <see cref="Strength"/>), as the Studio makes them.
/// </summary>
public static class SketchSheet
{
    public const double Strength = 0.7;
    public const int Zoom = 3;

    public static byte[] Render(SketchEncoder encoder, ulong seed, CancellationToken cancellationToken = default)
    {
        var size = encoder.Network.ImageSize;
        var parts = BlueprintConditions.Parts.Count;
        var drawings = SyntheticDrawings.Render(parts, seed, size);
        var random = new RandomSource(RandomSource.Mix(seed + 5));
        var rows = new List<IReadOnlyList<byte[]>>();
        for (var p = 0; p < parts; p++)
        {
            var sketch = SketchDegradation.Hand.Apply(drawings.Image(p), size, random);
            var encoding = encoder.Encode(sketch, SketchRefinement.Default, cancellationToken);
            var items = new List<GenerationItem> { new(encoding.Conditions, 0) { Latent = encoding.Latent } };
            items.AddRange(Enumerable.Range(1, 4).Select(v => new GenerationItem(encoding.Conditions, 0)
            {
                Latent = encoding.Latent,
                Variation = new LatentVariation(seed, p * 4 + v, Strength),
            }));
            var images = encoder.Generator.Generate(items, cancellationToken);
            rows.Add([ImageGrid.ToPixels(sketch), .. images.Select(i => ImageGrid.ToPixels(i))]);
        }

        return ImageGrid.EncodePng(rows, size, Zoom);
    }
}
