using System.Text;
using Aigc.Platform;
using Aigc.Platform.Data;
using Aigc.Platform.Models;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Aigc.Portal.Features.Models;

/// <summary>
/// An uploaded version: the multipart body is streamed part by part into a temporary folder under the data
/// directory (never held whole in memory), counted against Registry:MaxUploadMegabytes, then registered like a
/// shipped folder (strict load against the manifest, smoke generation). The folder is deleted afterwards either way.
/// </summary>
public sealed class ModelUpload(ModelRegistry registry, IOptions<RegistryOptions> options, IOptions<PlatformOptions> platform)
{
    /// <summary>Form field → file name in the version folder.</summary>
    public static readonly IReadOnlyDictionary<string, string> FileFields = new Dictionary<string, string>
    {
        ["manifest"] = ModelFiles.ManifestFileName,
        ["weights"] = ModelFiles.WeightsFileName,
        ["card"] = ModelFiles.ModelCardFileName,
        ["license"] = ModelFiles.LicenseFileName,
        ["metrics"] = ModelFiles.MetricsFileName,
        ["samples"] = ModelFiles.SamplesFileName,
    };

    private const int MaxFieldBytes = 1024;

    // Room for the form fields and multipart framing, and for the multipart reader reading ahead of the file copy
    // that enforces the limit: with less, Kestrel's own body limit may fire first and the user gets a bare 413.
    private const long BodySlack = 1024 * 1024;

    public async Task<UploadOutcome> RunAsync(HttpContext context)
    {
        var limit = options.Value.MaxUploadBytes;
        var outcome = new UploadOutcome();
        if (context.Request.ContentLength > limit + BodySlack)
            return outcome.Refuse("weights", $"The upload is {Megabytes(context.Request.ContentLength.Value)} MB; at most {options.Value.MaxUploadMegabytes} MB is accepted.");
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
            bodySize.MaxRequestBodySize = limit + BodySlack;
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var contentType) || !contentType.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(contentType.Boundary).Value is not { Length: > 0 } boundary)
            return outcome.Refuse("manifest", "Send the files as multipart/form-data.");

        var folder = Directory.CreateDirectory(Path.Combine(platform.Value.DataDirectoryFullPath, "uploads", Guid.NewGuid().ToString("N"))).FullName;
        try
        {
            var reader = new MultipartReader(boundary, context.Request.Body);
            long total = 0;
            while (await reader.ReadNextSectionAsync(context.RequestAborted) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || disposition.Name.Value is not { } field)
                    continue;
                field = HeaderUtilities.RemoveQuotes(field).Value!;
                if (!disposition.IsFileDisposition())
                {
                    outcome.Fields[field] = await ReadFieldAsync(section.Body, context.RequestAborted);
                    continue;
                }

                if (!FileFields.TryGetValue(field, out var fileName) || string.IsNullOrEmpty(HeaderUtilities.RemoveQuotes(disposition.FileName).Value))
                    continue;
                var written = await CopyAsync(section.Body, Path.Combine(folder, fileName), limit - total, context.RequestAborted);
                if (written is null)
                    return outcome.Refuse(field, $"The upload is larger than {options.Value.MaxUploadMegabytes} MB; nothing was registered.");
                total += written.Value;
                if (written == 0)
                    File.Delete(Path.Combine(folder, fileName));
            }

            foreach (var required in new[] { "manifest", "weights" })
            {
                if (!File.Exists(Path.Combine(folder, FileFields[required])))
                    outcome.Refuse(required, $"Choose the {FileFields[required]} file.");
            }

            var label = outcome.Fields.GetValueOrDefault("version")?.Trim() ?? "";
            if (label.Length == 0)
                outcome.Refuse("version", "Give the version a label, e.g. v2.");
            if (outcome.Errors.Count > 0)
                return outcome;

            outcome.Registered = await registry.RegisterAsync(folder, label, context.User, context.RequestAborted, refuseKnownWeights: true);
            return outcome;
        }
        catch (ModelRejectedException e)
        {
            return outcome.Refuse(FieldOf(e.File), e.Message);
        }
        catch (InvalidDataException e)
        {
            return outcome.Refuse("manifest", $"The upload is not a well-formed multipart form: {e.Message}");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static string FieldOf(string? file) =>
        file is null ? "weights" : FileFields.FirstOrDefault(f => f.Value == file).Key ?? (file == "version" ? "version" : "weights");

    /// <summary>Copies at most <paramref name="budget"/> bytes; null when the part is longer.</summary>
    private static async Task<long?> CopyAsync(Stream source, string path, long budget, CancellationToken cancellationToken)
    {
        var buffer = new byte[81920];
        long written = 0;
        await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            written += read;
            if (written > budget)
                return null;
            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }

        return written;
    }

    private static async Task<string> ReadFieldAsync(Stream body, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxFieldBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            length += read;
        return Encoding.UTF8.GetString(buffer, 0, Math.Min(length, MaxFieldBytes));
    }

    private static string Megabytes(long bytes) => (bytes / (1024.0 * 1024)).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>What an upload gave: the registered version, or the reasons per form field; the text fields are kept for the re-rendered form.</summary>
public sealed class UploadOutcome
{
    public Dictionary<string, string> Fields { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public ModelVersion? Registered { get; set; }

    public UploadOutcome Refuse(string field, string message)
    {
        Errors.TryAdd(field, message);
        return this;
    }
}
