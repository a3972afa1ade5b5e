using System.Globalization;
using System.Text;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Aigc.Platform.Studio;
using Microsoft.Extensions.Primitives;

namespace Aigc.Portal.Features.Studio;

/// <summary>
/// The Studio form, and the Studio URL contract that fills it:
/// <c>/studio?model=&lt;sha256 or name@version&gt;&amp;seed=&lt;n&gt;&amp;preset=&lt;name&gt;&amp;count=&lt;n&gt;</c>
/// <c>&amp;c.&lt;condition&gt;=&lt;value&gt;</c>.
/// A seed in the URL is locked. Reproduce adds the recipe of a varied or interpolated image:
/// <c>recipe=vary&amp;variationSeed&amp;strength</c> or
/// <c>recipe=interpolate&amp;endSeed&amp;frames&amp;frame&amp;e.&lt;condition&gt;</c>.
/// </summary>
public sealed class StudioForm
{
    public const int DefaultCount = 4;
    private const string ConditionPrefix = "c.";
    private const string EndConditionPrefix = "e.";

    public string? Model { get; set; }

    public Dictionary<string, string> Conditions { get; } = new(StringComparer.Ordinal);

    public int Count { get; set; } = DefaultCount;

    public long? Seed { get; set; }

    public bool SeedLocked { get; set; }

    public string? Preset { get; set; }

    /// <summary>Set when reproducing a varied or interpolated image; a plain sample otherwise.</summary>
    public GenerationRecipe? Recipe { get; set; }

    /// <summary>Values that did not parse, by field name.</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public bool IsEmpty { get; private set; }

    public static StudioForm FromQueryString(string query)
    {
        var parsed = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query);
        return Read(parsed.Keys, key => parsed.TryGetValue(key, out var value) ? value : StringValues.Empty);
    }

    /// <summary>The URL of the Studio filled with this form (the recipe included).</summary>
    public string ToUrl() => "/studio?" + ToQueryString(includeRecipe: true);

    /// <summary>The form as remembered between visits: the recipe of a single reproduced image is not.</summary>
    public string ToSettings() => ToQueryString(includeRecipe: false);

    /// <summary>The form that makes the reproduced image again: one image, its seed locked.</summary>
    public static StudioForm FromReproduction(Reproduction reproduction)
    {
        var form = new StudioForm
        {
            Model = reproduction.ModelSha256,
            Count = 1,
            Seed = reproduction.Seed,
            SeedLocked = true,
            Preset = reproduction.Preset,
            Recipe = reproduction.Recipe,
        };
        foreach (var (name, value) in reproduction.Conditions)
            form.Conditions[name] = value;
        return form;
    }

    private string ToQueryString(bool includeRecipe)
    {
        var query = new StringBuilder();
        void Add(string key, string? value)
        {
            if (value is null)
                return;
            query.Append(query.Length == 0 ? "" : "&").Append(Uri.EscapeDataString(key))
                .Append('=').Append(Uri.EscapeDataString(value));
        }

        Add("model", Model);
        if (SeedLocked)
            Add("seed", Seed?.ToString(CultureInfo.InvariantCulture));
        Add("preset", Preset);
        Add("count", Count.ToString(CultureInfo.InvariantCulture));
        foreach (var (name, value) in Conditions.OrderBy(c => c.Key, StringComparer.Ordinal))
            Add(ConditionPrefix + name, value);
        if (includeRecipe && Recipe is { Kind: RecipeKind.Vary } vary)
        {
            Add("recipe", "vary");
            Add("variationSeed", vary.VariationSeed?.ToString(CultureInfo.InvariantCulture));
            Add("strength", vary.Strength?.ToString("R", CultureInfo.InvariantCulture));
        }
        else if (includeRecipe && Recipe is { Kind: RecipeKind.Interpolate } interpolate)
        {
            Add("recipe", "interpolate");
            Add("endSeed", interpolate.EndSeed?.ToString(CultureInfo.InvariantCulture));
            Add("frames", interpolate.Frames?.ToString(CultureInfo.InvariantCulture));
            Add("frame", interpolate.FirstFrame.ToString(CultureInfo.InvariantCulture));
            foreach (var (name, value) in (interpolate.EndConditions ?? new Dictionary<string, string>()).OrderBy(c
                => c.Key, StringComparer.Ordinal))
                Add(EndConditionPrefix + name, value);
        }

        return query.ToString();
    }

    private static StudioForm Read(ICollection<string> keys, Func<string, StringValues> get)
    {
        var form = new StudioForm { IsEmpty = keys.Count == 0 };
        string? Text(string key) => get(key) is { Count: > 0 } v
            && !string.IsNullOrWhiteSpace(v[0]) ? v[0]!.Trim() : null;

        form.Model = Text("model");
        form.Preset = Text("preset");
        form.Count = form.Number("count", Text("count"), int.Parse) ?? DefaultCount;
        form.Seed = form.Number("seed", Text("seed"), long.Parse);
        // A seed in the URL is locked: the URL names one image.
        form.SeedLocked = form.Seed is not null;
        foreach (var key in keys.Where(k => k.StartsWith(ConditionPrefix, StringComparison.Ordinal)
            && k.Length > ConditionPrefix.Length))
            if (Text(key) is { } value)
                form.Conditions[key[ConditionPrefix.Length..]] = value;

        switch (Text("recipe"))
        {
            case "vary":
                form.Recipe = GenerationRecipe.Vary(form.Number("strength", Text("strength"), double.Parse) ?? -1,
                    form.Number("variationSeed", Text("variationSeed"), long.Parse));
                break;
            case "interpolate":
                var end = keys.Where(k => k.StartsWith(EndConditionPrefix, StringComparison.Ordinal)
                    && k.Length > EndConditionPrefix.Length)
                    .Where(k => Text(k) is not null)
                    .ToDictionary(k => k[EndConditionPrefix.Length..], k => Text(k)!, StringComparer.Ordinal);
                form.Recipe = GenerationRecipe.Interpolate(end, form.Number("endSeed", Text("endSeed"), long.Parse)
                    ?? -1,
                    form.Number("frames", Text("frames"), int.Parse) ?? 0, form.Number("frame", Text("frame"),
                        int.Parse) ?? 0);
                break;
        }

        return form;
    }

    private T? Number<T>(string field, string? text, Func<string, IFormatProvider, T> parse) where T : struct
    {
        if (text is null)
            return null;
        try
        {
            return parse(text, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
            Errors[field] = $"{field} must be a number (got \"{text}\").";
            return null;
        }
    }
}
