namespace Aigc.Platform.Sketches;

/// <summary>
/// What a drawing reads as for one model version: the conditions the encoder recovered (with its confidence in
/// each, 0–1), the latent as <c>SketchLatents</c> text for a sketch recipe, and how well the model's image of it
/// overlaps the drawing's lines (IoU, 0–1).
/// </summary>
public sealed record SketchReading(
    string ModelSha256,
    IReadOnlyDictionary<string, string> Conditions,
    IReadOnlyDictionary<string, double> Confidence,
    string Latent,
    double LineIoU);
