using System.Globalization;
using System.Text.Json;

namespace Aigc.Portal.Features.Models;

/// <summary>
/// A version's metrics.json for people: scalar figures by section (per-class and per-condition breakdowns are
/// left to the file), the targets it meets or misses, and a one-line summary for the version list.
/// </summary>
public sealed record ModelMetrics(IReadOnlyList<MetricRow> Rows, IReadOnlyList<MetricTarget> Targets, string? Summary)
{
    // Longer strings are notes (e.g. what a metric is not comparable with), shown across the table.
    private const int NoteLength = 32;

    private static readonly HashSet<string> Breakdowns = new(StringComparer.OrdinalIgnoreCase) { "perClass", "perCondition", "counts", "targets" };

    public static ModelMetrics? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
            return null;
        using var document = JsonDocument.Parse(json);
        var rows = new List<MetricRow>();
        var targets = new List<MetricTarget>();
        Flatten(document.RootElement, "", rows, targets);
        return new ModelMetrics(rows, targets, Summarise(rows));
    }

    private static void Flatten(JsonElement element, string path, List<MetricRow> rows, List<MetricTarget> targets)
    {
        foreach (var property in element.EnumerateObject())
        {
            var name = path.Length == 0 ? property.Name : $"{path}.{property.Name}";
            if (property.Name == "targets" && property.Value.ValueKind == JsonValueKind.Object)
            {
                targets.AddRange(property.Value.EnumerateObject()
                    .Where(t => t.Value.ValueKind is JsonValueKind.True or JsonValueKind.False)
                    .Select(t => new MetricTarget(t.Name, t.Value.GetBoolean())));
                continue;
            }

            if (Breakdowns.Contains(property.Name))
                continue;
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Object:
                    Flatten(property.Value, name, rows, targets);
                    break;
                case JsonValueKind.Number:
                    rows.Add(new MetricRow(name, Format(property.Value.GetDouble())));
                    break;
                case JsonValueKind.String or JsonValueKind.True or JsonValueKind.False:
                    var text = property.Value.ToString();
                    rows.Add(new MetricRow(name, text, IsNote: text.Length > NoteLength));
                    break;
            }
        }
    }

    private static string Format(double value) =>
        Math.Abs(value) >= 1000 || value == Math.Floor(value)
            ? value.ToString("#,0.##", CultureInfo.InvariantCulture)
            : value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string? Summarise(IReadOnlyList<MetricRow> rows)
    {
        string? Find(string name) => rows.FirstOrDefault(r => r.Name == name)?.Value;
        var parts = new List<string>();
        if (double.TryParse(Find("evaluation.conditionalAccuracy"), CultureInfo.InvariantCulture, out var accuracy))
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"GAN-test {accuracy * 100:0.#}%"));
        if (double.TryParse(Find("evaluation.frechetRatio"), CultureInfo.InvariantCulture, out var frechet))
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"Fréchet {frechet:0.00}× real"));
        if (Find("evaluation.withinConditionDiversityMin") is { } diversity)
            parts.Add($"diversity {diversity}");
        if (parts.Count == 0 && Find("training.steps") is { } steps)
            parts.Add($"{steps} steps");
        return parts.Count == 0 ? null : string.Join(" · ", parts);
    }
}

public sealed record MetricRow(string Name, string Value, bool IsNote = false);

public sealed record MetricTarget(string Name, bool Met);
