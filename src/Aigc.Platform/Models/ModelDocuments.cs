using System.Text;
using System.Text.Json;
using Aigc.Imaging;
using Aigc.Platform.Data;

namespace Aigc.Platform.Models;

/// <summary>
/// The optional documentation of a version folder: model card (Markdown), licence, metrics (JSON) and sample grid (PNG).
/// Each is checked here, so a bad one is refused with its file named before anything is registered.
/// </summary>
public sealed record ModelDocuments(string? ModelCard, string? License, string? MetricsJson, byte[]? SamplesPng)
{
    public const int MaxSamplesBytes = 16 * 1024 * 1024;


    public static async Task<ModelDocuments> ReadAsync(string folder, CancellationToken cancellationToken)
    {
        var card = await TextAsync(folder, ModelFiles.ModelCardFileName, cancellationToken);
        var license = await TextAsync(folder, ModelFiles.LicenseFileName, cancellationToken);
        var metrics = await TextAsync(folder, ModelFiles.MetricsFileName, cancellationToken);
        if (metrics is not null)
        {
            try
            {
                using var parsed = JsonDocument.Parse(metrics);
                if (parsed.RootElement.ValueKind != JsonValueKind.Object)
                    throw new ModelRejectedException($"{ModelFiles.MetricsFileName} must hold a JSON object.", file: ModelFiles.MetricsFileName);
            }
            catch (JsonException e)
            {
                throw new ModelRejectedException($"{ModelFiles.MetricsFileName} is not valid JSON: {e.Message}", e, ModelFiles.MetricsFileName);
            }
        }

        byte[]? samples = null;
        var samplesPath = Path.Combine(folder, ModelFiles.SamplesFileName);
        if (File.Exists(samplesPath))
        {
            if (new FileInfo(samplesPath).Length > MaxSamplesBytes)
                throw new ModelRejectedException($"{ModelFiles.SamplesFileName} is larger than {MaxSamplesBytes / (1024 * 1024)} MB.", file: ModelFiles.SamplesFileName);
            samples = await File.ReadAllBytesAsync(samplesPath, cancellationToken);
            if (ImageFormatSniffer.Detect(samples) != ImageFormat.Png)
                throw new ModelRejectedException($"{ModelFiles.SamplesFileName} is not a PNG image.", file: ModelFiles.SamplesFileName);
        }

        return new ModelDocuments(card, license, metrics, samples);
    }

    private static async Task<string?> TextAsync(string folder, string fileName, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, fileName);
        if (!File.Exists(path))
            return null;
        if (new FileInfo(path).Length > ModelCardConfiguration.MaxDocumentLength)
            throw new ModelRejectedException($"{fileName} is larger than {ModelCardConfiguration.MaxDocumentLength / 1024} KB.", file: fileName);
        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        try
        {
            var text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes).TrimStart('\uFEFF');
            return string.IsNullOrWhiteSpace(text) ? null : text;
        }
        catch (DecoderFallbackException e)
        {
            throw new ModelRejectedException($"{fileName} is not UTF-8 text.", e, fileName);
        }
    }
}
