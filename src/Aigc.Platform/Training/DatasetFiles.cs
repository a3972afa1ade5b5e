using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Aigc.Generation.Datasets;
using Aigc.Imaging;

namespace Aigc.Platform.Training;

/// <summary>
/// How a dataset version becomes files: the canonical folder layout (images/00000.png … in index order, labels.csv,
/// dataset.json) that training reads, its hash (the same as <see cref="DatasetFolder.Hash"/> of that folder, so the
/// model card's data hash names the version), the preprocessing preview and the contact sheet.
/// </summary>
public static class DatasetFiles
{
    public const string GeneratorName = "aigc-portal-dataset";

    public static string FileOf(int index) => $"images/{index:D5}.png";

    /// <summary>SHA-256 over labels.csv and the images in index order, as DatasetFolder.Hash computes it.</summary>
    public static string Hash(IReadOnlyList<(BlueprintLabel Label, byte[] Png)> images)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(Encoding.UTF8.GetBytes(LabelsCsv(images.Select(i => i.Label).ToList())));
        foreach (var (_, png) in images)
            sha.AppendData(png);
        return "sha256:" + Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static string LabelsCsv(IReadOnlyList<BlueprintLabel> labels)
    {
        var csv = new StringBuilder(DatasetFolder.LabelsHeader).Append('\n');
        for (var i = 0; i < labels.Count; i++)
            csv.Append(CultureInfo.InvariantCulture, $"{FileOf(i)},{labels[i].Part},{labels[i].View},{labels[i].Complexity}\n");
        return csv.ToString();
    }

    /// <summary>Writes the canonical folder (which must not hold a dataset yet).</summary>
    public static void Write(string directory, int imageSize, string source, IReadOnlyList<(BlueprintLabel Label, byte[] Png)> images)
    {
        var folder = DatasetFolder.Create(directory);
        var entries = new List<LabelledImage>();
        for (var i = 0; i < images.Count; i++)
        {
            File.WriteAllBytes(folder.PathOf(FileOf(i)), images[i].Png);
            entries.Add(new LabelledImage(FileOf(i), images[i].Label));
        }

        folder.Finish(new DatasetInfo
        {
            ImageSize = imageSize,
            Count = images.Count,
            Generator = new DatasetGenerator { Name = GeneratorName, Version = "1", Source = source },
            Conditions = BlueprintConditions.Specs(),
        }, entries);
    }

    /// <summary>One row per part class and view, up to <paramref name="columns"/> drawings each.</summary>
    public static byte[] ContactSheet(IReadOnlyList<(BlueprintLabel Label, byte[] Png)> images, int size, int columns = 12)
    {
        var rows = images.GroupBy(i => (i.Label.Part, i.Label.View))
            .OrderBy(g => Order(BlueprintConditions.Parts, g.Key.Part)).ThenBy(g => Order(BlueprintConditions.Views, g.Key.View))
            .Select(g => (IReadOnlyList<byte[]>)g.Take(columns).Select(i => GreyPixels(i.Png, size)).ToList())
            .ToList();
        return ImageGrid.EncodePng(rows, size, zoom: 2);
    }

    /// <summary>
    /// Before and after preprocessing, side by side, for the first drawing of each part class then the next ones:
    /// the original fitted whole into the square (so the crop shows), then what the model will see.
    /// </summary>
    public static byte[] Preview(IReadOnlyList<ArchiveDrawing> drawings, int size, int pairs = 8)
    {
        var chosen = drawings.GroupBy(d => d.Label.Part).SelectMany(g => g.Select((d, i) => (d, i)))
            .OrderBy(x => x.i).Take(pairs).Select(x => x.d).ToList();
        var cells = chosen.SelectMany(d => new[] { Fitted(d.Bytes, size), GreyPixels(DatasetImporter.Normalise(d.Bytes, size).Png, size) })
            .ToList();
        var rows = cells.Chunk(8).Select(r => (IReadOnlyList<byte[]>)r.ToList()).ToList();
        return ImageGrid.EncodePng(rows, size, zoom: 2);
    }

    private static byte[] Fitted(byte[] encoded, int size)
    {
        using var image = VipsImage.Decode(encoded);
        using var flat = image.Flatten();
        using var fitted = flat.Thumbnail(size, size);
        using var grey = fitted.ToGreyscale();
        var pixels = grey.ToPixels();
        var cell = new byte[size * size];
        Array.Fill(cell, (byte)160);
        var (x0, y0) = ((size - grey.Width) / 2, (size - grey.Height) / 2);
        for (var y = 0; y < grey.Height; y++)
            pixels.AsSpan(y * grey.Width, grey.Width).CopyTo(cell.AsSpan((y0 + y) * size + x0, grey.Width));
        return cell;
    }

    private static byte[] GreyPixels(byte[] png, int size)
    {
        using var image = VipsImage.Decode(png);
        using var grey = image.ToGreyscale();
        var pixels = grey.ToPixels();
        return pixels.Length == size * size ? pixels : throw new InvalidDataException($"Expected a {size}×{size} drawing.");
    }

    private static int Order(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
            if (values[i] == value)
                return i;
        return values.Count;
    }
}
