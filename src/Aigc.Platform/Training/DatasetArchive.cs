using System.IO.Compression;
using System.Security.Cryptography;
using Aigc.Generation.Datasets;
using Aigc.Imaging;

namespace Aigc.Platform.Training;

/// <summary>A drawing accepted from an archive: where it was, its conditions and its original bytes.</summary>
public sealed record ArchiveDrawing(string Entry, BlueprintLabel Label, byte[] Bytes, string Sha256, int Width, int Height);

/// <summary>What an archive holds: every problem found, or (when none) the labelled drawings.</summary>
public sealed record ArchiveContent(IReadOnlyList<DatasetProblem> Problems, IReadOnlyList<ArchiveDrawing> Drawings)
{
    public bool Accepted => Problems.Count == 0;
}

/// <summary>
/// Reads an uploaded dataset ZIP without trusting it: the number of files, their declared total and each file's
/// compression ratio are checked from the directory before anything is inflated, and each file is inflated at most
/// to its declared size (a header that lies is caught, not believed). Names are never used as paths: one that would
/// escape a folder (absolute, "..", backslashes, drive letters) is reported. Labels come from labels.csv
/// (file,part,view,complexity) or, without one, from folders part/view/complexity/. Every problem is reported, not
/// just the first; the caller stores nothing unless there are none.
/// </summary>
public static class DatasetArchive
{
    public const string LabelsFile = "labels.csv";

    private static readonly string[] ImageExtensions = [".png", ".jpg", ".jpeg", ".webp"];

    public static ArchiveContent Read(string zipPath, TrainingOptions options, CancellationToken cancellationToken = default)
    {
        var problems = new List<DatasetProblem>();
        ZipArchive archive;
        try
        {
            archive = ZipFile.OpenRead(zipPath);
        }
        catch (InvalidDataException e)
        {
            return Refused(new DatasetProblem(DatasetProblemKind.NotAZip, "", e.Message));
        }

        using (archive)
        {
            var files = archive.Entries.Where(e => !e.FullName.EndsWith('/')).ToList();
            if (files.Count > options.MaxFiles)
                return Refused(new DatasetProblem(DatasetProblemKind.TooManyFiles, "",
                    $"{files.Count:N0} files; at most {options.MaxFiles:N0}."));
            var declared = files.Sum(e => e.Length);
            if (declared > options.MaxUnpackedBytes)
                return Refused(new DatasetProblem(DatasetProblemKind.TooMuchData, "",
                    $"{declared:N0} bytes unpacked; at most {options.MaxUnpackedBytes:N0}."));

            var wanted = new List<(ZipArchiveEntry Entry, string Name)>();
            foreach (var entry in files)
            {
                var name = entry.FullName;
                if (!IsSafe(name))
                {
                    problems.Add(new DatasetProblem(DatasetProblemKind.UnsafeName, Printable(name),
                        "the name leaves the archive's folder (absolute, \"..\", backslash or drive); nothing is unpacked by name."));
                    continue;
                }

                if (name.Split('/').Any(s => s.StartsWith('.') || s == "__MACOSX"))
                    continue;
                if (entry.Length > 0 && (entry.CompressedLength == 0 || entry.Length / entry.CompressedLength > options.MaxCompressionRatio))
                {
                    problems.Add(new DatasetProblem(DatasetProblemKind.CompressionRatio, name,
                        $"{entry.Length:N0} bytes packed into {entry.CompressedLength:N0}: above the ratio {options.MaxCompressionRatio} a drawing never reaches."));
                    continue;
                }

                if (IsImage(name) || Path.GetFileName(name).Equals(LabelsFile, StringComparison.OrdinalIgnoreCase))
                    wanted.Add((entry, name));
            }

            var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            long unpacked = 0;
            foreach (var (entry, name) in wanted)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var bytes = ReadBounded(entry, Math.Min(entry.Length, options.MaxUnpackedBytes - unpacked));
                if (bytes is null)
                {
                    problems.Add(new DatasetProblem(DatasetProblemKind.CompressionRatio, name,
                        $"unpacks to more than the {entry.Length:N0} bytes its header declares."));
                    continue;
                }

                unpacked += bytes.Length;
                contents[name] = bytes;
            }

            var drawings = Label(contents, problems, options, cancellationToken);
            CheckCounts(drawings, problems, options);
            return problems.Count > 0 ? new ArchiveContent(problems, []) : new ArchiveContent([], drawings);
        }
    }

    private static ArchiveContent Refused(DatasetProblem problem) => new([problem], []);

    private static List<ArchiveDrawing> Label(Dictionary<string, byte[]> contents, List<DatasetProblem> problems,
        TrainingOptions options, CancellationToken cancellationToken)
    {
        var labelFiles = contents.Keys.Where(k => Path.GetFileName(k).Equals(LabelsFile, StringComparison.OrdinalIgnoreCase))
            .OrderBy(k => k.Count(c => c == '/')).ToList();
        var images = contents.Keys.Where(IsImage).Order(StringComparer.Ordinal).ToList();
        var labels = new Dictionary<string, BlueprintLabel>(StringComparer.Ordinal);
        if (labelFiles.Count > 0)
        {
            var root = labelFiles[0][..(labelFiles[0].Length - LabelsFile.Length)];
            ReadLabels(labelFiles[0], contents[labelFiles[0]], root, labels, problems);
            foreach (var file in labels.Keys.Where(f => !contents.ContainsKey(f)))
                problems.Add(new DatasetProblem(DatasetProblemKind.MissingImage, file, $"listed in {labelFiles[0]} but not in the archive."));
        }
        else
        {
            foreach (var image in images)
            {
                var parts = image.Split('/');
                if (parts.Length >= 4)
                {
                    var label = new BlueprintLabel(parts[^4], parts[^3], parts[^2]);
                    if (CheckLabel(image, label, problems))
                        labels[image] = label;
                }
            }

            if (images.Count > 0 && labels.Count == 0 && problems.Count == 0)
                problems.Add(new DatasetProblem(DatasetProblemKind.NoLabels, "",
                    $"no {LabelsFile} and no folders part/view/complexity/ holding the drawings."));
        }

        if (images.Count == 0)
            problems.Add(new DatasetProblem(DatasetProblemKind.NoLabels, "", "the archive holds no PNG, JPEG or WebP drawing."));
        var drawings = new List<ArchiveDrawing>();
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var image in images)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var bytes = contents[image];
            int width, height;
            try
            {
                using var decoded = VipsImage.Decode(bytes);
                (width, height) = (decoded.Width, decoded.Height);
            }
            catch (Exception e) when (e is ImageRejectedException or NetVips.VipsException)
            {
                problems.Add(new DatasetProblem(DatasetProblemKind.UnreadableImage, image, e.Message));
                continue;
            }

            if (Math.Min(width, height) < options.ImageSize)
                problems.Add(new DatasetProblem(DatasetProblemKind.ImageTooSmall, image,
                    $"{width}×{height}; drawings need at least {options.ImageSize} pixels on their shorter side."));
            var sha = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (seen.TryGetValue(sha, out var first))
                problems.Add(new DatasetProblem(DatasetProblemKind.DuplicateImage, image, $"the same file as {first}."));
            else
                seen[sha] = image;
            if (labels.TryGetValue(image, out var label))
                drawings.Add(new ArchiveDrawing(image, label, bytes, sha, width, height));
            else if (labelFiles.Count > 0 || image.Split('/').Length >= 4)
                problems.Add(new DatasetProblem(DatasetProblemKind.UnlabelledImage, image, "no label line names this drawing."));
            else
                problems.Add(new DatasetProblem(DatasetProblemKind.UnlabelledImage, image, "not in a part/view/complexity/ folder."));
        }

        return drawings;
    }

    private static void ReadLabels(string file, byte[] bytes, string root, Dictionary<string, BlueprintLabel> labels,
        List<DatasetProblem> problems)
    {
        var lines = System.Text.Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF').Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        if (lines.Count == 0 || lines[0].Trim() != DatasetFolder.LabelsHeader)
        {
            problems.Add(new DatasetProblem(DatasetProblemKind.LabelsFormat, $"{file}:1", $"expected the header \"{DatasetFolder.LabelsHeader}\"."));
            return;
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 1; i < lines.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
                continue;
            var where = $"{file}:{i + 1}";
            var fields = lines[i].Split(',').Select(f => f.Trim()).ToArray();
            if (fields.Length != 4 || fields[0].Length == 0)
            {
                problems.Add(new DatasetProblem(DatasetProblemKind.LabelsFormat, where,
                    $"expected 4 fields (file,part,view,complexity), got {fields.Length}{(fields.Length == 4 ? " with no file name" : "")}."));
                continue;
            }

            var name = root + fields[0].Replace('\\', '/');
            if (!IsSafe(name))
            {
                problems.Add(new DatasetProblem(DatasetProblemKind.UnsafeName, where, $"\"{Printable(fields[0])}\" leaves the archive's folder."));
                continue;
            }

            if (seen.TryGetValue(name, out var earlier))
            {
                problems.Add(new DatasetProblem(DatasetProblemKind.DuplicateLabel, where, $"{fields[0]} is already labelled on line {earlier}."));
                continue;
            }

            seen[name] = i + 1;
            var label = new BlueprintLabel(fields[1], fields[2], fields[3]);
            if (CheckLabel(where, label, problems))
                labels[name] = label;
        }
    }

    /// <summary>Every value must be one of the blueprint schema's (the shipped architecture's conditions).</summary>
    private static bool CheckLabel(string where, BlueprintLabel label, List<DatasetProblem> problems)
    {
        var ok = true;
        foreach (var (name, value, allowed) in new[]
                 {
                     (BlueprintConditions.Part, label.Part, BlueprintConditions.Parts),
                     (BlueprintConditions.View, label.View, BlueprintConditions.Views),
                     (BlueprintConditions.Complexity, label.Complexity, BlueprintConditions.Complexities),
                 })
        {
            if (allowed.Contains(value))
                continue;
            ok = false;
            problems.Add(new DatasetProblem(DatasetProblemKind.UnknownLabel, where,
                value.Length == 0 ? $"missing {name}." : $"{name} \"{Printable(value)}\" is not one of {string.Join(", ", allowed)}."));
        }

        return ok;
    }

    private static void CheckCounts(List<ArchiveDrawing> drawings, List<DatasetProblem> problems, TrainingOptions options)
    {
        if (drawings.Count == 0)
            return;
        foreach (var part in drawings.GroupBy(d => d.Label.Part).Where(g => g.Count() < options.MinImagesPerClass))
            problems.Add(new DatasetProblem(DatasetProblemKind.TooFewImages, part.Key,
                $"{part.Count()} drawings; a part class needs at least {options.MinImagesPerClass}."));
        var classes = drawings.Select(d => d.Label.Part).Distinct().Count();
        if (classes < 2)
            problems.Add(new DatasetProblem(DatasetProblemKind.TooFewClasses, "",
                $"{classes} part class; a conditional model needs at least 2."));
    }

    /// <summary>Inflates at most <paramref name="limit"/> bytes; null when the entry holds more.</summary>
    private static byte[]? ReadBounded(ZipArchiveEntry entry, long limit)
    {
        if (limit < 0 || entry.Length > limit)
            return null;
        try
        {
            using var stream = entry.Open();
            var buffer = new byte[entry.Length];
            var read = 0;
            while (read < buffer.Length)
            {
                var n = stream.Read(buffer, read, buffer.Length - read);
                if (n == 0)
                    return null;
                read += n;
            }

            return stream.ReadByte() == -1 ? buffer : null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private static bool IsImage(string name) => ImageExtensions.Contains(Path.GetExtension(name).ToLowerInvariant());

    /// <summary>Relative, forward slashes only, no empty, "." or ".." segment, no drive, no control characters.</summary>
    internal static bool IsSafe(string name) =>
        name.Length is > 0 and <= 1024 && !name.StartsWith('/') && !name.Contains('\\') && !name.Contains(':')
        && !name.Any(char.IsControl) && name.Split('/').All(s => s.Length > 0 && s != "." && s != "..");

    private static string Printable(string text) =>
        new(text.Take(200).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
