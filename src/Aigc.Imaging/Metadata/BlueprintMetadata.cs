using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aigc.Imaging.Metadata;

/// <summary>
/// Provenance of a generated image, stored as JSON in the PNG iTXt chunk "aigc" so the image can be reproduced.
/// The JSON property names are a stable contract: readers of old files depend on them. The portal leaves out the
/// creation time (the blueprint's row has it), so the same recipe gives the same file, byte for byte.
/// </summary>
public sealed record BlueprintMetadata(
    [property: JsonPropertyName("model")] string ModelName,
    [property: JsonPropertyName("version")] string ModelVersion,
    [property: JsonPropertyName("weightsSha256")] string WeightsSha256,
    [property: JsonPropertyName("conditions")] IReadOnlyDictionary<string, string> Conditions,
    [property: JsonPropertyName("seed")] long Seed,
    [property: JsonPropertyName("preset")] string Preset,
    [property: JsonPropertyName("engine")] string EngineVersion,
    [property: JsonPropertyName("createdUtc"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] DateTimeOffset? CreatedUtc = null)
{
    public const string ChunkKeyword = "aigc";
    public const int CurrentSchema = 2;

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    [JsonPropertyName("schema")]
    public int Schema { get; init; } = CurrentSchema;

    /// <summary>How the latent was made when it is not the plain sample of <see cref="Seed"/>; absent in older files (schema 1).</summary>
    [JsonPropertyName("recipe")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public BlueprintRecipe? Recipe { get; init; }

    /// <summary>A short, stable drawing number derived from everything that determines the image.</summary>
    [JsonIgnore]
    public string DrawingNumber
    {
        get
        {
            var key = new StringBuilder().Append(ModelName).Append('|').Append(ModelVersion).Append('|').Append(WeightsSha256).Append('|').Append(Seed);
            foreach (var (name, value) in Conditions.OrderBy(c => c.Key, StringComparer.Ordinal))
                key.Append('|').Append(name).Append('=').Append(value);
            if (Recipe is not null)
                key.Append('|').Append(Recipe.Key);
            var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString()));
            return "AIGC-" + Convert.ToHexString(hash, 0, 4);
        }
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static BlueprintMetadata FromJson(string json)
    {
        BlueprintMetadata? metadata;
        try
        {
            metadata = JsonSerializer.Deserialize<BlueprintMetadata>(json, Json);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The '{ChunkKeyword}' metadata is not valid JSON: {e.Message}", e);
        }
        if (metadata is null || metadata.ModelName is null || metadata.Conditions is null)
            throw new InvalidDataException($"The '{ChunkKeyword}' metadata lacks required fields (model, conditions).");
        return metadata;
    }

    /// <summary>Reads the metadata of a PNG written by the pipeline; null when the PNG has none. Throws <see cref="InvalidDataException"/> for a damaged PNG.</summary>
    public static BlueprintMetadata? Read(ReadOnlySpan<byte> png)
    {
        var json = PngChunks.ReadText(png, ChunkKeyword);
        return json is null ? null : FromJson(json);
    }

    /// <summary>The chunk to write while encoding; the same bytes as <see cref="WriteTo"/> gives afterwards.</summary>
    public PngText ToPngText() => new(ChunkKeyword, ToJson());

    /// <summary>Returns the PNG with this metadata embedded (replacing any earlier "aigc" chunk).</summary>
    public byte[] WriteTo(ReadOnlySpan<byte> png) => PngChunks.WithInternationalText(png, ToPngText());

    /// <summary>Returns the PNG without any text, EXIF or time chunk: for exports that must not carry provenance.</summary>
    public static byte[] Strip(ReadOnlySpan<byte> png) => PngChunks.StripText(png);
}
