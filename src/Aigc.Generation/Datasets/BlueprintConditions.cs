using Aigc.Generation.Manifest;

namespace Aigc.Generation.Datasets;

/// <summary>The conditions every blueprint image carries: part class, view and complexity, all categorical.</summary>
public static class BlueprintConditions
{
    public const string Part = "part";
    public const string View = "view";
    public const string Complexity = "complexity";

    public static IReadOnlyList<string> Parts { get; } =
        ["spur_gear", "flange", "bracket", "stepped_shaft", "ball_bearing", "hex_nut", "pulley", "hole_plate"];

    public static IReadOnlyList<string> Views { get; } = ["front", "side", "section"];

    public static IReadOnlyList<string> Complexities { get; } = ["low", "medium", "high"];

    public static IReadOnlyList<string> Names { get; } = [Part, View, Complexity];

    /// <summary>The schema written to dataset.json and expected in a blueprint model's manifest.</summary>
    public static IReadOnlyList<ConditionSpec> Specs(int partEmbedding = 32, int otherEmbedding = 8) =>
    [
        new() { Name = Part, Kind = "categorical", Values = Parts, EmbeddingDim = partEmbedding },
        new() { Name = View, Kind = "categorical", Values = Views, EmbeddingDim = otherEmbedding },
        new() { Name = Complexity, Kind = "categorical", Values = Complexities, EmbeddingDim = otherEmbedding },
    ];
}

/// <summary>One image's conditions.</summary>
public sealed record BlueprintLabel(string Part, string View, string Complexity)
{
    public int PartIndex => IndexOf(BlueprintConditions.Parts, Part);

    public ConditionValues ToConditionValues() => new ConditionValues()
        .Set(BlueprintConditions.Part, Part)
        .Set(BlueprintConditions.View, View)
        .Set(BlueprintConditions.Complexity, Complexity);

    private static int IndexOf(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
            if (values[i] == value)
                return i;
        return -1;
    }
}
