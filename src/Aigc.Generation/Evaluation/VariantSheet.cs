using Aigc.Generation.Datasets;

namespace Aigc.Generation.Evaluation;

/// <summary>
/// variants.png: one row per part class, eight latents of one exact condition (front view, high complexity) each,
/// so whether the model varies its drawings for a fixed condition can be seen at a glance; fixed latents, so sheets
/// of different versions compare.
/// </summary>
public static class VariantSheet
{
    public const string FileName = "variants.png";
    public const int Columns = 8;
    public const string View = "front";
    public const string Complexity = "high";

    public static byte[] Render(Generator generator, CancellationToken cancellationToken = default)
    {
        var manifest = generator.Manifest;
        var parts = Training.CganTrainingRun.ValuesOf(manifest, BlueprintConditions.Part);
        // A model trained on a company's drawings may lack the front view or high complexity: then its first view
        // and its highest complexity.
        var views = Training.CganTrainingRun.ValuesOf(manifest, BlueprintConditions.View);
        var view = views.Contains(View) ? View : views[0];
        var complexities = Training.CganTrainingRun.ValuesOf(manifest, BlueprintConditions.Complexity);
        var complexity = complexities.Contains(Complexity) ? Complexity : complexities[^1];
        var items = parts
            .SelectMany(part => Enumerable.Range(0, Columns).Select(c =>
                new GenerationItem(new BlueprintLabel(part, view, complexity).ToConditionValues(), Training.CganTrainingRun.SampleSeed, c)))
            .ToArray();
        var images = generator.Generate(items, cancellationToken);
        var size = generator.Manifest.ImageSize;
        var rows = Enumerable.Range(0, parts.Count)
            .Select(r => (IReadOnlyList<byte[]>)Enumerable.Range(0, Columns).Select(c => ImageGrid.ToPixels(images[r * Columns + c])).ToList())
            .ToList();
        return ImageGrid.EncodePng(rows, size, zoom: size < 64 ? 2 : 1);
    }
}
