using Aigc.Generation.Manifest;

namespace Aigc.Generation.Sketches;

/// <summary>
/// What a drawing encodes to: the conditions and latent that reproduce it best, how sure the encoder was of each
/// condition (softmax probability of the value chosen) and how well the generator's image matches the drawing.
/// </summary>
public sealed record SketchEncoding(
    ConditionValues Conditions,
    float[] Latent,
    IReadOnlyDictionary<string, double> Confidence,
    double LineIoU);
