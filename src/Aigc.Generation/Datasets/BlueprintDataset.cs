using Aigc.Generation.Manifest;
using Aigc.Imaging;
using Aigc.Neural;

namespace Aigc.Generation.Datasets;

/// <summary>A dataset held in memory: images as one-band float planes in [−1, 1] and their labels.</summary>
public sealed class BlueprintDataset
{
    private BlueprintDataset(string directory, DatasetInfo info, IReadOnlyList<LabelledImage> entries, float[] pixels)
    {
        Directory = directory;
        Info = info;
        Entries = entries;
        Pixels = pixels;
    }

    public string Directory { get; }

    public DatasetInfo Info { get; }

    public IReadOnlyList<LabelledImage> Entries { get; }

    /// <summary>[Count, 1, size, size] row-major.</summary>
    public float[] Pixels { get; }

    public int Count => Entries.Count;

    public int ImageSize => Info.ImageSize;

    public int ImageLength => ImageSize * ImageSize;

    public static BlueprintDataset Load(string directory)
    {
        var info = DatasetFolder.ReadInfo(directory);
        var entries = DatasetFolder.ReadLabels(directory);
        if (entries.Count != info.Count)
            throw new InvalidDataException($"{directory}: {DatasetFolder.InfoFile} says {info.Count} images but {DatasetFolder.LabelsFile} lists {entries.Count}.");
        var length = info.ImageSize * info.ImageSize;
        var pixels = new float[entries.Count * length];
        Parallel.For(0, entries.Count, n =>
        {
            var path = Path.Combine(directory, entries[n].File);
            using var image = VipsImage.Decode(File.ReadAllBytes(path));
            if (image.Width != info.ImageSize || image.Height != info.ImageSize)
                throw new InvalidDataException($"{path}: {image.Width}×{image.Height}, but the dataset's images are {info.ImageSize}×{info.ImageSize}.");
            using var grey = image.ToGreyscale();
            var bytes = grey.ToPixels();
            var plane = pixels.AsSpan(n * length, length);
            for (var i = 0; i < length; i++)
                plane[i] = bytes[i] / 127.5f - 1f;
        });
        return new BlueprintDataset(directory, info, entries, pixels);
    }

    /// <summary>Fails with every mismatch when a model cannot train on this data (size, channels, condition values).</summary>
    public void RequireCompatible(CganManifest manifest)
    {
        if (manifest.ImageSize != ImageSize || manifest.Channels != 1)
            throw new ManifestException($"manifest \"{manifest.Name}\" makes {manifest.Channels}×{manifest.ImageSize}² images; the dataset has 1×{ImageSize}².");
        var problems = new List<string>();
        foreach (var spec in manifest.Schema.Numeric)
            problems.Add($"numeric condition \"{spec.Name}\" has no column in {DatasetFolder.LabelsFile}");
        foreach (var spec in manifest.Schema.Categorical)
        {
            if (!BlueprintConditions.Names.Contains(spec.Name))
            {
                problems.Add($"condition \"{spec.Name}\" is not one of the dataset's ({string.Join(", ", BlueprintConditions.Names)})");
                continue;
            }

            var used = Entries.Select(e => Value(e.Label, spec.Name)).Distinct().Where(v => !spec.Values!.Contains(v));
            problems.AddRange(used.Select(v => $"the dataset's {spec.Name} \"{v}\" is not among the manifest's values"));
        }

        if (problems.Count > 0)
            throw new ManifestException($"manifest \"{manifest.Name}\" does not fit the dataset: {string.Join("; ", problems)}.");
    }

    /// <summary>Copies the images at <paramref name="indices"/> into <paramref name="batch"/> and encodes their conditions.</summary>
    public ConditionBatch Fill(ReadOnlySpan<int> indices, Tensor batch, ConditionSchema schema)
    {
        batch.Resize([indices.Length, 1, ImageSize, ImageSize]);
        var conditions = new ConditionBatch(schema, indices.Length);
        for (var i = 0; i < indices.Length; i++)
        {
            Pixels.AsSpan(indices[i] * ImageLength, ImageLength).CopyTo(batch.Span.Slice(i * ImageLength, ImageLength));
            Encode(Entries[indices[i]].Label, schema, conditions, i);
        }

        return conditions;
    }

    public static void Encode(BlueprintLabel label, ConditionSchema schema, ConditionBatch into, int n)
    {
        for (var k = 0; k < schema.Categorical.Count; k++)
        {
            var spec = schema.Categorical[k];
            into.SetIndex(k, n, spec.Values!.ToList().IndexOf(Value(label, spec.Name)));
        }
    }

    public static string Value(BlueprintLabel label, string condition) => condition switch
    {
        BlueprintConditions.Part => label.Part,
        BlueprintConditions.View => label.View,
        BlueprintConditions.Complexity => label.Complexity,
        _ => throw new ArgumentException($"Unknown blueprint condition \"{condition}\".", nameof(condition)),
    };
}
