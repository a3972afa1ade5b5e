using System.Text.Json;

namespace Aigc.Platform.Data;

/// <summary>One condition value of a blueprint (a copy of its ConditionsJson) so facets filter and count on an index.</summary>
public class BlueprintCondition
{
    public Guid BlueprintId { get; set; }

    public required string Name { get; set; }

    public required string Value { get; set; }

    public static List<BlueprintCondition> From(string conditionsJson) =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(conditionsJson)!
            .Select(c => new BlueprintCondition { Name = c.Key, Value = c.Value })
            .ToList();
}
