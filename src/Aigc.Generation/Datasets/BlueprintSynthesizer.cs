using Aigc.Imaging;
using Aigc.Neural;

namespace Aigc.Generation.Datasets;

/// <summary>
/// Procedural technical drawings of mechanical parts. Image <c>index</c> of a seed draws every random choice from
/// its own stream, so any image can be re-rendered alone and the dataset does not depend on thread scheduling.
/// </summary>
public static class BlueprintSynthesizer
{
    public const string Name = "aigc-blueprint-synth";

    /// <summary>Bump when drawings change: a dataset records it, so a model's data can be traced to the drawing code.</summary>
    public const string Version = "1.0.0";

    private static readonly Func<PartSketch>[] Sketches =
    [
        () => new SpurGearSketch(), () => new FlangeSketch(), () => new BracketSketch(), () => new SteppedShaftSketch(),
        () => new BallBearingSketch(), () => new HexNutSketch(), () => new PulleySketch(), () => new HolePlateSketch(),
    ];

    /// <summary>The label of image <paramref name="i"/> of a class: views and complexities cycle, so they stay balanced.</summary>
    public static BlueprintLabel LabelFor(int part, int i) =>
        new(BlueprintConditions.Parts[part], BlueprintConditions.Views[i % 3], BlueprintConditions.Complexities[i / 3 % 3]);

    /// <summary>The SVG of one drawing.</summary>
    public static string Svg(BlueprintLabel label, ulong seed, long index)
    {
        var part = label.PartIndex;
        if (part < 0)
            throw new ArgumentException($"Unknown part \"{label.Part}\"; use one of {string.Join(", ", BlueprintConditions.Parts)}.", nameof(label));
        var level = BlueprintConditions.Complexities.ToList().IndexOf(label.Complexity);
        if (level < 0)
            throw new ArgumentException($"Unknown complexity \"{label.Complexity}\".", nameof(label));
        var random = new RandomSource(RandomSource.Mix(seed ^ RandomSource.Mix(unchecked((ulong)index + 0x5851F42D4C957F2DUL))));
        return Sketches[part]().Draw(label.View, level, random);
    }

    /// <summary>Rasterises one drawing through libvips: one 8-bit grey band, white lines on black.</summary>
    public static byte[] RenderPng(BlueprintLabel label, ulong seed, long index, int size)
    {
        using var rgba = VipsImage.FromSvg(Svg(label, seed, index), size, size);
        using var flat = rgba.Flatten(0, 0, 0);
        using var grey = flat.ToGreyscale();
        return grey.EncodePng(compression: 6);
    }

    /// <summary>Writes perClass images of every part class into <paramref name="directory"/>; reports each finished image.</summary>
    public static DatasetInfo Write(string directory, int perClass, int size, ulong seed, IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (perClass < 1)
            throw new ArgumentOutOfRangeException(nameof(perClass), $"--per-class must be at least 1 (got {perClass}).");
        if (size is < 16 or > 512)
            throw new ArgumentOutOfRangeException(nameof(size), $"--size must be between 16 and 512 (got {size}).");
        var parts = BlueprintConditions.Parts.Count;
        var entries = new LabelledImage[parts * perClass];
        for (var p = 0; p < parts; p++)
            for (var i = 0; i < perClass; i++)
                entries[p * perClass + i] = new LabelledImage($"images/{BlueprintConditions.Parts[p]}_{i:D5}.png", LabelFor(p, i));
        var folder = DatasetFolder.Create(directory);
        var done = 0;
        Parallel.For(0, entries.Length, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, n =>
        {
            File.WriteAllBytes(folder.PathOf(entries[n].File), RenderPng(entries[n].Label, seed, n, size));
            progress?.Report(Interlocked.Increment(ref done));
        });
        var info = new DatasetInfo
        {
            ImageSize = size,
            Count = entries.Length,
            Generator = new DatasetGenerator { Name = Name, Version = Version, Seed = seed, PerClass = perClass },
            Conditions = BlueprintConditions.Specs(),
        };
        folder.Finish(info, entries);
        return info;
    }
}
