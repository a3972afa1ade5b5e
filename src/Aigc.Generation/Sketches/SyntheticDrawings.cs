using Aigc.Generation.Datasets;
using Aigc.Imaging;

namespace Aigc.Generation.Sketches;

/// <summary>Synthetic drawings rendered straight to pixels, with their labels: the encoder's training and test sets.</summary>
public sealed record SyntheticDrawings(float[] Pixels, BlueprintLabel[] Labels, int Size)
{
    public int Count => Labels.Length;

    public int Length => Size * Size;

    public ReadOnlySpan<float> Image(int i) => Pixels.AsSpan(i * Length, Length);

    /// <summary>
    /// <paramref name="count"/> drawings of <paramref name="seed"/>: drawing i is part i mod 8, and views and
    /// complexities cycle within each part, so every set is balanced.
    /// </summary>
    public static SyntheticDrawings Render(int count, ulong seed, int size)
    {
        var parts = BlueprintConditions.Parts.Count;
        var labels = Enumerable.Range(0, count).Select(i => BlueprintSynthesizer.LabelFor(i % parts, i / parts)).ToArray();
        var pixels = new float[count * size * size];
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount },
            i => Drawing(labels[i], seed, i, size).CopyTo(pixels, i * size * size));
        return new SyntheticDrawings(pixels, labels, size);
    }

    /// <summary>Drawing <paramref name="index"/> of <paramref name="seed"/>, with the label: size² values in
    /// [−1, 1].</summary>
    public static float[] Drawing(BlueprintLabel label, ulong seed, long index, int size)
    {
        using var rgba = VipsImage.FromSvg(BlueprintSynthesizer.Svg(label, seed, index), size, size);
        using var flat = rgba.Flatten(0, 0, 0);
        using var grey = flat.ToGreyscale();
        var bytes = grey.ToPixels();
        var pixels = new float[size * size];
        for (var p = 0; p < pixels.Length; p++)
            pixels[p] = bytes[p] / 127.5f - 1f;
        return pixels;
    }
}
