using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace Aigc.Imaging.Metadata;

/// <summary>
/// The latent recipe of an image that is not a plain sample. "vary": the base seed's latent mixed with
/// <see cref="VariationSeed"/>'s at <see cref="Strength"/>. "interpolate": frame <see cref="Frame"/> of
/// <see cref="Frames"/> from (conditions, seed) to (<see cref="EndConditions"/>, <see cref="EndSeed"/>).
/// "sketch": <see cref="Latent"/> as the base latent, with the vary or interpolate parameters when it has them.
/// Property names are a stable contract, like <see cref="BlueprintMetadata"/>'s.
/// </summary>
public sealed record BlueprintRecipe
{
    public const string VaryKind = "vary";
    public const string InterpolateKind = "interpolate";
    public const string SketchKind = "sketch";

    [JsonPropertyName("kind")]
    public required string Kind { get; init; }

    [JsonPropertyName("variationSeed")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? VariationSeed { get; init; }

    [JsonPropertyName("strength")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? Strength { get; init; }

    [JsonPropertyName("endConditions")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyDictionary<string, string>? EndConditions { get; init; }

    [JsonPropertyName("endSeed")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? EndSeed { get; init; }

    [JsonPropertyName("frames")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Frames { get; init; }

    [JsonPropertyName("frame")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Frame { get; init; }

    /// <summary>Sketch: the drawing's latent, float32 little-endian in base64.</summary>
    [JsonPropertyName("latent")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Latent { get; init; }

    public static BlueprintRecipe Vary(long variationSeed, double strength) =>
        new() { Kind = VaryKind, VariationSeed = variationSeed, Strength = strength };

    public static BlueprintRecipe Interpolate(IReadOnlyDictionary<string, string> endConditions, long endSeed, int frames, int frame) =>
        new() { Kind = InterpolateKind, EndConditions = endConditions, EndSeed = endSeed, Frames = frames, Frame = frame };

    /// <summary>A sketch's image: its latent alone, or varied, or a frame towards another image.</summary>
    public static BlueprintRecipe Sketch(string latent, BlueprintRecipe? around = null) => around is null
        ? new() { Kind = SketchKind, Latent = latent }
        : around with { Kind = SketchKind, Latent = latent };

    /// <summary>Everything that determines the image, as one string (for drawing numbers).</summary>
    [JsonIgnore]
    public string Key
    {
        get
        {
            var key = new StringBuilder(Kind);
            foreach (var part in new object?[] { VariationSeed, Strength, EndSeed, Frames, Frame, Latent })
                key.Append('|').Append(Convert.ToString(part, CultureInfo.InvariantCulture));
            foreach (var (name, value) in (EndConditions ?? new Dictionary<string, string>()).OrderBy(c => c.Key, StringComparer.Ordinal))
                key.Append('|').Append(name).Append('=').Append(value);
            return key.ToString();
        }
    }
}
