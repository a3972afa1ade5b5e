using System.Globalization;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Aigc.Generation.Manifest;

namespace Aigc.Generation.Datasets;

/// <summary>An image file of a dataset (path relative to the dataset folder, forward slashes) and its conditions.</summary>
public sealed record LabelledImage(string File, BlueprintLabel Label);

/// <summary>dataset.json: what the folder holds and which code made it.</summary>
public sealed record DatasetInfo
{
    public const string CurrentFormat = "aigc-blueprint-dataset/1";

    public string Format { get; init; } = CurrentFormat;

    public required int ImageSize { get; init; }

    public int Channels { get; init; } = 1;

    /// <summary>White lines on black: see docs/decisions/0005-white-lines-on-black.md.</summary>
    public string Polarity { get; init; } = "white-on-black";

    public required int Count { get; init; }

    public required DatasetGenerator Generator { get; init; }

    public required IReadOnlyList<ConditionSpec> Conditions { get; init; }
}

public sealed record DatasetGenerator
{
    public required string Name { get; init; }

    public required string Version { get; init; }

    public ulong? Seed { get; init; }

    public int? PerClass { get; init; }

    /// <summary>For imports: where the images came from.</summary>
    public string? Source { get; init; }
}

/// <summary>
/// The on-disk dataset layout shared by the synthesizer and the importer: images/*.png, labels.csv
/// (file,part,view,complexity) and dataset.json. Files are written under a temporary name and renamed, so a
/// folder with dataset.json is complete.
/// </summary>
public sealed class DatasetFolder
{
    public const string LabelsFile = "labels.csv";
    public const string InfoFile = "dataset.json";
    public const string LabelsHeader = "file,part,view,complexity";

    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private DatasetFolder(string directory) => Directory = directory;

    public string Directory { get; }

    public string PathOf(string relative) => Path.Combine(Directory, relative.Replace('/', Path.DirectorySeparatorChar));

    /// <summary>Makes the folder (and images/); refuses a folder that already holds a dataset.</summary>
    public static DatasetFolder Create(string directory)
    {
        if (File.Exists(Path.Combine(directory, InfoFile)))
            throw new IOException($"{directory} already holds a dataset ({InfoFile}); choose an empty folder.");
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "images"));
        return new DatasetFolder(directory);
    }

    public void Finish(DatasetInfo info, IReadOnlyList<LabelledImage> entries)
    {
        var csv = new StringBuilder(LabelsHeader).Append('\n');
        foreach (var e in entries)
            csv.Append(CultureInfo.InvariantCulture, $"{e.File},{e.Label.Part},{e.Label.View},{e.Label.Complexity}\n");
        WriteAtomically(Path.Combine(Directory, LabelsFile), Encoding.UTF8.GetBytes(csv.ToString()));
        WriteAtomically(Path.Combine(Directory, InfoFile), JsonSerializer.SerializeToUtf8Bytes(info, Json));
    }

    public static DatasetInfo ReadInfo(string directory)
    {
        var path = Path.Combine(directory, InfoFile);
        if (!File.Exists(path))
            throw new InvalidDataException($"{directory} is not a dataset: {InfoFile} is missing (make one with `aigc dataset synth` or `aigc dataset import`).");
        var info = JsonSerializer.Deserialize<DatasetInfo>(File.ReadAllBytes(path), Json)
                   ?? throw new InvalidDataException($"{path} is empty.");
        if (info.Format != DatasetInfo.CurrentFormat)
            throw new InvalidDataException($"{path}: format \"{info.Format}\" is not supported (expected \"{DatasetInfo.CurrentFormat}\").");
        return info;
    }

    /// <summary>Reads labels.csv of a finished dataset (validated on the way in, so any error here is corruption).</summary>
    public static IReadOnlyList<LabelledImage> ReadLabels(string directory)
    {
        var path = Path.Combine(directory, LabelsFile);
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] != LabelsHeader)
            throw new InvalidDataException($"{path}:1: expected the header \"{LabelsHeader}\".");
        var result = new List<LabelledImage>();
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
                continue;
            var f = lines[i].Split(',');
            if (f.Length != 4)
                throw new InvalidDataException($"{path}:{i + 1}: expected 4 fields, got {f.Length}.");
            result.Add(new LabelledImage(f[0], new BlueprintLabel(f[1], f[2], f[3])));
        }

        return result;
    }

    /// <summary>SHA-256 over labels.csv and every image in label order: identifies the training data in a model's manifest.</summary>
    public static string Hash(string directory)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(File.ReadAllBytes(Path.Combine(directory, LabelsFile)));
        foreach (var e in ReadLabels(directory))
            sha.AppendData(File.ReadAllBytes(Path.Combine(directory, e.File)));
        return "sha256:" + Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    internal static void WriteAtomically(string path, ReadOnlySpan<byte> bytes)
    {
        var temp = path + ".tmp";
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}
