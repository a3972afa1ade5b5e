namespace Aigc.Generation.Manifest;

/// <summary>A named condition: categorical (values, embedded with embeddingDim) or numeric (min..max).</summary>
public sealed record ConditionSpec
{
    public required string Name { get; init; }

    /// <summary>"categorical" or "numeric".</summary>
    public required string Kind { get; init; }

    public IReadOnlyList<string>? Values { get; init; }

    public int EmbeddingDim { get; init; } = 16;

    public double? Min { get; init; }

    public double? Max { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsCategorical => Kind == "categorical";
}
