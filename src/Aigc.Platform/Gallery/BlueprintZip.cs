using System.Globalization;
using System.IO.Compression;
using Aigc.Platform.Blobs;
using Aigc.Platform.Blueprints;

namespace Aigc.Platform.Gallery;

/// <summary>
/// Blueprints as a ZIP written to a stream: each PNG under its download name (a counter added on clashes) and
/// metadata.csv (RFC 4180) with one row per image. PNGs are stored, not deflated: they are compressed already.
/// </summary>
public static class BlueprintZip
{
    public static async Task WriteAsync(Stream output, IReadOnlyList<BlueprintDetails> blueprints, BlobStore blobs, bool stripMetadata,
        CancellationToken cancellationToken)
    {
        await using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var rows = new List<(BlueprintDetails Details, string File)>();
        foreach (var details in blueprints)
        {
            var name = Unique(names, details.FileName);
            rows.Add((details, name));
            var bytes = await blobs.ReadAllAsync(details.Blueprint.FileSha256, cancellationToken);
            if (stripMetadata)
                bytes = BlueprintFile.WithoutMetadata(bytes);
            var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
            entry.LastWriteTime = new DateTimeOffset(details.Blueprint.CreatedAt);
            await using var stream = await entry.OpenAsync(cancellationToken);
            await stream.WriteAsync(bytes, cancellationToken);
        }

        var csvEntry = zip.CreateEntry("metadata.csv", CompressionLevel.Optimal);
        await using (var csv = new StreamWriter(await csvEntry.OpenAsync(cancellationToken)))
        {
            await csv.WriteAsync("file,id,model,version,sha256,conditions,seed,preset,created,tags,note\r\n");
            foreach (var (details, file) in rows)
            {
                var b = details.Blueprint;
                string[] fields =
                [
                    file, b.Id.ToString(), details.Model?.Name ?? "", details.Model?.Version ?? "", b.ModelSha256,
                    string.Join(";", details.Conditions.Select(c => $"{c.Key}={c.Value}")), b.Seed.ToString(CultureInfo.InvariantCulture), b.Preset,
                    b.CreatedAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), string.Join(";", details.Tags), b.Note ?? "",
                ];
                await csv.WriteAsync(string.Join(",", fields.Select(Field)) + "\r\n");
            }
        }
    }

    /// <summary>RFC 4180: quote a field holding a comma, quote or line break, doubling its quotes.</summary>
    private static string Field(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : $"\"{value.Replace("\"", "\"\"")}\"";

    private static string Unique(HashSet<string> names, string name)
    {
        var candidate = name;
        for (var i = 2; !names.Add(candidate); i++)
            candidate = $"{Path.GetFileNameWithoutExtension(name)}-{i}{Path.GetExtension(name)}";
        return candidate;
    }
}
