using System.Globalization;
using Microsoft.Extensions.Localization;

namespace Aigc.Portal.Components;

/// <summary>
/// A model's condition names and values in the UI language. The shipped models' terms are translated; a model trained
/// on other drawings brings terms of its own, shown as its manifest writes them, underscores as spaces. What is sent,
/// stored and put in addresses stays the manifest's own term.
/// </summary>
public static class ConditionWording
{
    /// <summary>A condition's name as a label: "Part"; a name with no translation is capitalised.</summary>
    public static string Name(this IStringLocalizer<ConditionText> texts, string name)
    {
        var said = Say(texts, name, name);
        return said.Length == 0 ? said : char.ToUpper(said[0], CultureInfo.CurrentCulture) + said[1..];
    }

    public static string Value(this IStringLocalizer<ConditionText> texts, string name, string value) =>
        Say(texts, $"{name}.{value}", value);

    /// <summary>
    /// "spur gear · front · low": a condition set's values in its model's order (<paramref name="order"/>, the
    /// schema's names), as the form shows them; stored sets are sorted by name, so without the schema, by name.
    /// </summary>
    public static string Values(this IStringLocalizer<ConditionText> texts,
        IEnumerable<KeyValuePair<string, string>> conditions, IReadOnlyList<string>? order = null) =>
        string.Join(" · ", conditions
            .OrderBy(c => Position(order, c.Key))
            .Select(c => texts.Value(c.Key, c.Value)));

    private static int Position(IReadOnlyList<string>? order, string name)
    {
        for (var i = 0; i < (order?.Count ?? 0); i++)
        {
            if (order![i] == name)
                return i;
        }

        return int.MaxValue;
    }

    private static string Say(IStringLocalizer<ConditionText> texts, string key, string term)
    {
        var text = texts[key];
        return text.ResourceNotFound ? term.Replace('_', ' ') : text.Value;
    }
}
