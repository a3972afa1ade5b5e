using System.Globalization;
using System.Text.Json;
using Aigc.Generation.Manifest;
using Aigc.Platform.Refusals;

namespace Aigc.Platform.Queue;

/// <summary>Conditions as stored on jobs and blueprints: a JSON object of strings, keys sorted.</summary>
public static class ConditionsJson
{
    public static string Write(IReadOnlyDictionary<string, string> conditions) =>
        JsonSerializer.Serialize(new SortedDictionary<string, string>(conditions.ToDictionary(), StringComparer.Ordinal));

    public static IReadOnlyDictionary<string, string> Read(string json) =>
        JsonSerializer.Deserialize<SortedDictionary<string, string>>(json) ?? new SortedDictionary<string, string>();

    /// <summary>Checks named values against a schema and converts them; the exception names the field ("conditions.NAME").</summary>
    public static ConditionValues Validate(ConditionSchema schema, IReadOnlyDictionary<string, string> conditions)
    {
        var names = schema.Categorical.Concat(schema.Numeric).Select(c => c.Name).ToList();
        foreach (var name in conditions.Keys.Where(n => !names.Contains(n)))
            throw Invalid(new("UnknownCondition", name, name, string.Join(", ", names)));
        var values = new ConditionValues();
        foreach (var spec in schema.Categorical)
        {
            if (!conditions.TryGetValue(spec.Name, out var value))
                throw Invalid(new("ConditionRequired", spec.Name, spec.Name, string.Join(", ", spec.Values!)));
            if (!spec.Values!.Contains(value))
                throw Invalid(new("ConditionValue", spec.Name, value, spec.Name, string.Join(", ", spec.Values!)));
            values.Set(spec.Name, value);
        }

        foreach (var spec in schema.Numeric)
        {
            if (!conditions.TryGetValue(spec.Name, out var text))
                throw Invalid(new("NumberRequired", spec.Name, spec.Name, Bound(spec.Min), Bound(spec.Max)));
            if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number) || number < spec.Min || number > spec.Max)
                throw Invalid(new("NumberValue", spec.Name, text, Bound(spec.Min), Bound(spec.Max), spec.Name));
            values.Set(spec.Name, number);
        }

        return values;
    }

    private static object Bound(double? bound) => (object?)bound ?? "";

    private static GenerationRefusedException Invalid(Refusal refusal) =>
        new(RefusalKind.Invalid, refusal with { Field = $"conditions.{refusal.Field}" });
}
