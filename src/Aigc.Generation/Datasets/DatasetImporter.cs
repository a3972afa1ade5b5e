using Aigc.Imaging;

namespace Aigc.Generation.Datasets;

/// <summary>The outcome of an import: every problem found (file and line), or what was written.</summary>
public sealed record ImportReport(IReadOnlyList<string> Problems, int Imported, int Inverted)
{
    public bool Succeeded => Problems.Count == 0;
}

/// <summary>
/// Turns a team's own drawings into a dataset. Everything is checked before anything is written, and every
/// problem is reported (not just the first): malformed lines, missing or unknown labels, duplicate rows, missing
/// or unreadable images, images without a label line, and sizes that differ from the first image's. Accepted
/// images are resized and centre-cropped to a square through libvips, made grey, and inverted when they are
/// dark lines on light paper, so they match the synthesizer's white-on-black drawings.
/// </summary>
public static class DatasetImporter
{
    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".webp"];

    public static ImportReport Import(string imagesDirectory, string labelsPath, string outputDirectory, int size,
        CancellationToken cancellationToken = default)
    {
        if (size is < 16 or > 512)
            throw new ArgumentOutOfRangeException(nameof(size), $"--size must be between 16 and 512 (got {size}).");
        var problems = new List<(int Line, string Text)>();
        if (!Directory.Exists(imagesDirectory))
            return new ImportReport([$"{imagesDirectory}: the images folder does not exist."], 0, 0);
        if (!File.Exists(labelsPath))
            return new ImportReport([$"{labelsPath}: the labels file does not exist."], 0, 0);

        var rows = ReadRows(labelsPath, problems);
        var accepted = new List<(string Source, BlueprintLabel Label, byte[] Bytes)>();
        (string File, int Width, int Height)? first = null;
        foreach (var (line, file, label) in rows)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var where = $"{labelsPath}:{line}: {file}";
            var path = Path.Combine(imagesDirectory, file);
            if (!File.Exists(path))
            {
                problems.Add((line, $"{where}: image file not found in {imagesDirectory}."));
                continue;
            }

            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(path);
                using var image = VipsImage.Decode(bytes);
                if (first is null)
                    first = (file, image.Width, image.Height);
                else if (image.Width != first.Value.Width || image.Height != first.Value.Height)
                    problems.Add((line, $"{where}: size {image.Width}×{image.Height} differs from {first.Value.File} ({first.Value.Width}×{first.Value.Height}); all images must share one size."));
            }
            catch (Exception e) when (e is ImageRejectedException or NetVips.VipsException or IOException)
            {
                problems.Add((line, $"{where}: unreadable image ({e.Message.TrimEnd('.')})."));
                continue;
            }

            if (label is not null)
                accepted.Add((file, label, bytes));
        }

        var labelled = rows.Select(r => Normalise(r.File)).ToHashSet(StringComparer.Ordinal);
        foreach (var path in Directory.EnumerateFiles(imagesDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Normalise(Path.GetRelativePath(imagesDirectory, path));
            if (ImageExtensions.Contains(Path.GetExtension(path).ToLowerInvariant()) && !labelled.Contains(relative))
                problems.Add((int.MaxValue, $"{path}: no line in {Path.GetFileName(labelsPath)} labels this image."));
        }

        if (rows.Count == 0 && problems.Count == 0)
            problems.Add((0, $"{labelsPath}: no images are listed."));
        if (problems.Count > 0)
            return new ImportReport(problems.OrderBy(p => p.Line).Select(p => p.Text).ToList(), 0, 0);

        var folder = DatasetFolder.Create(outputDirectory);
        var entries = new List<LabelledImage>();
        var inverted = 0;
        for (var i = 0; i < accepted.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (source, label, bytes) = accepted[i];
            var name = $"images/{label.Part}_{i:D5}.png";
            var (png, wasInverted) = Normalise(bytes, size);
            File.WriteAllBytes(folder.PathOf(name), png);
            inverted += wasInverted ? 1 : 0;
            entries.Add(new LabelledImage(name, label));
        }

        folder.Finish(new DatasetInfo
        {
            ImageSize = size,
            Count = entries.Count,
            Generator = new DatasetGenerator { Name = "aigc-dataset-import", Version = BlueprintSynthesizer.Version, Source = Path.GetFullPath(imagesDirectory) },
            Conditions = BlueprintConditions.Specs(),
        }, entries);
        return new ImportReport([], entries.Count, inverted);
    }

    /// <summary>Cover-resizes and centre-crops to size×size, flattens onto white, greys, and inverts light paper.</summary>
    public static (byte[] Png, bool Inverted) Normalise(byte[] encoded, int size)
    {
        using var image = VipsImage.Decode(encoded);
        using var flat = image.Flatten();
        using var square = flat.Thumbnail(size, size, crop: true);
        using var grey = square.ToGreyscale();
        var pixels = grey.ToPixels();
        var light = pixels.Average(p => (double)p) > 127.5;
        if (light)
            for (var i = 0; i < pixels.Length; i++)
                pixels[i] = (byte)(255 - pixels[i]);
        using var result = VipsImage.FromPixels(pixels, grey.Width, grey.Height, 1);
        return (result.EncodePng(compression: 6), light);
    }

    private static List<(int Line, string File, BlueprintLabel? Label)> ReadRows(string labelsPath, List<(int Line, string Text)> problems)
    {
        var lines = File.ReadAllLines(labelsPath);
        var rows = new List<(int, string, BlueprintLabel?)>();
        if (lines.Length == 0 || lines[0].Trim().TrimStart('\uFEFF') != DatasetFolder.LabelsHeader)
        {
            problems.Add((1, $"{labelsPath}:1: expected the header \"{DatasetFolder.LabelsHeader}\"."));
            return rows;
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 1; i < lines.Length; i++)
        {
            var line = i + 1;
            if (string.IsNullOrWhiteSpace(lines[i]))
                continue;
            var fields = lines[i].Split(',').Select(f => f.Trim()).ToArray();
            if (fields.Length != 4)
            {
                problems.Add((line, $"{labelsPath}:{line}: expected 4 fields (file,part,view,complexity), got {fields.Length}."));
                continue;
            }

            var file = fields[0];
            if (file.Length == 0)
            {
                problems.Add((line, $"{labelsPath}:{line}: the file name is missing."));
                continue;
            }

            if (seen.TryGetValue(Normalise(file), out var earlier))
            {
                problems.Add((line, $"{labelsPath}:{line}: {file}: already labelled on line {earlier}."));
                continue;
            }

            seen[Normalise(file)] = line;
            var valid = Check(labelsPath, line, file, BlueprintConditions.Part, fields[1], BlueprintConditions.Parts, problems)
                        & Check(labelsPath, line, file, BlueprintConditions.View, fields[2], BlueprintConditions.Views, problems)
                        & Check(labelsPath, line, file, BlueprintConditions.Complexity, fields[3], BlueprintConditions.Complexities, problems);
            rows.Add((line, file, valid ? new BlueprintLabel(fields[1], fields[2], fields[3]) : null));
        }

        return rows;
    }

    private static bool Check(string labelsPath, int line, string file, string name, string value, IReadOnlyList<string> allowed, List<(int Line, string Text)> problems)
    {
        if (value.Length == 0)
            problems.Add((line, $"{labelsPath}:{line}: {file}: missing {name} label."));
        else if (!allowed.Contains(value))
            problems.Add((line, $"{labelsPath}:{line}: {file}: unknown {name} \"{value}\" (expected one of {string.Join(", ", allowed)})."));
        else
            return true;
        return false;
    }

    private static string Normalise(string relative) => relative.Replace('\\', '/');
}
