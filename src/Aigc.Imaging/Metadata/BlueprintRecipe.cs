using System.Globalization;
using System.Text;
using System.Text.Json.Serialization;

namespace Aigc.Imaging.Metadata;

/// <summary>
/// The latent recipe of an image that is not a plain sample. "vary": the base seed's latent mixed with
/// <see cref="VariationSeed"/>'s at <see cref="Strength"/>. "interpolate": frame <see cref="Frame"/> of
/// <see cref="Frames"/> from (conditions, seed) to (<see cref="EndConditions"/>, <see cref="EndSeed"/>).
/// Property names are a stable contract, like <see cref="BlueprintMetadata"/>'s.
/// </summary>
public sealed record BlueprintRecipe
{
    public const string VaryKind = "vary";
    public const string InterpolateKind = "interpolate";

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

    public static BlueprintRecipe Vary(long variationSeed, double strength) =>
        new() { Kind = VaryKind, VariationSeed = variationSeed, Strength = strength };

    public static BlueprintRecipe Interpolate(IReadOnlyDictionary<string, string> endConditions, long endSeed, int frames, int frame) =>
        new() { Kind = InterpolateKind, EndConditions = endConditions, EndSeed = endSeed, Frames = frames, Frame = frame };

    /// <summary>Everything that determines the image, as one string (for drawing numbers).</summary>
    [JsonIgnore]
    public string Key
    {
        get
        {
            var key = new StringBuilder(Kind);
            foreach (var part in new object?[] { VariationSeed, Strength, EndSeed, Frames, Frame })
                key.Append('|').Append(Convert.ToString(part, CultureInfo.InvariantCulture));
            foreach (var (name, value) in (EndConditions ?? new Dictionary<string, string>()).OrderBy(c => c.Key, StringComparer.Ordinal))
                key.Append('|').Append(name).Append('=').Append(value);
            return key.ToString();
        }
    }
}
