using System.Globalization;
using System.Text;

namespace Aigc.Platform.Gallery;

public enum GallerySort
{
    Date,
    Favourite,
    Model,
}

/// <summary>
/// What the gallery shows, as it appears in the URL: model=SHA (repeatable), c.NAME=VALUE (repeatable), tag=T
/// (repeatable), collection=ID, fav=true, from/to=yyyy-MM-dd (UTC days, inclusive), author=USERID (admins), q=TEXT
/// (tags and notes), sort=date|favourite|model, size=s|m|l. Values of one facet are alternatives (OR); facets narrow
/// each other (AND). Unknown keys are ignored so old bookmarks keep working.
/// </summary>
public sealed record GalleryFilter
{
    public static readonly GalleryFilter Empty = new();

    public IReadOnlyList<string> Models { get; init; } = [];

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Conditions { get; init; } = new Dictionary<string, IReadOnlyList<string>>();

    public IReadOnlyList<string> Tags { get; init; } = [];

    public Guid? Collection { get; init; }

    public bool Favourites { get; init; }

    public DateOnly? From { get; init; }

    public DateOnly? To { get; init; }

    public string? Author { get; init; }

    public string? Text { get; init; }

    public GallerySort Sort { get; init; }

    public string Size { get; init; } = "m";

    public static GalleryFilter Parse(IEnumerable<KeyValuePair<string, string?>> query)
    {
        var models = new List<string>();
        var tags = new List<string>();
        var conditions = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        var filter = new GalleryFilter();
        foreach (var (key, raw) in query)
        {
            var value = raw?.Trim();
            if (string.IsNullOrEmpty(value))
                continue;
            switch (key)
            {
                case "model":
                    Add(models, value.ToLowerInvariant());
                    break;
                case "tag":
                    Add(tags, NormaliseTag(value));
                    break;
                case "collection" when Guid.TryParse(value, out var collection):
                    filter = filter with { Collection = collection };
                    break;
                case "fav":
                    filter = filter with { Favourites = value is "true" or "1" or "on" };
                    break;
                case "from" when DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var from):
                    filter = filter with { From = from };
                    break;
                case "to" when DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var to):
                    filter = filter with { To = to };
                    break;
                case "author":
                    filter = filter with { Author = value };
                    break;
                case "q":
                    filter = filter with { Text = value.Length > 100 ? value[..100] : value };
                    break;
                case "sort":
                    filter = filter with { Sort = value switch { "favourite" => GallerySort.Favourite, "model" => GallerySort.Model, _ => GallerySort.Date } };
                    break;
                case "size" when value is "s" or "m" or "l":
                    filter = filter with { Size = value };
                    break;
                default:
                    if (key.StartsWith("c.", StringComparison.Ordinal) && key.Length > 2)
                    {
                        if (!conditions.TryGetValue(key[2..], out var values))
                            conditions[key[2..]] = values = [];
                        Add(values, value);
                    }

                    break;
            }
        }

        return filter with
        {
            Models = models,
            Tags = tags,
            Conditions = conditions.ToDictionary(c => c.Key, c => (IReadOnlyList<string>)c.Value, StringComparer.Ordinal),
        };
    }

    public static GalleryFilter Parse(string queryString) =>
        Parse(queryString.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair =>
        {
            var eq = pair.IndexOf('=');
            return eq < 0
                ? new KeyValuePair<string, string?>(Uri.UnescapeDataString(pair.Replace('+', ' ')), "")
                : new KeyValuePair<string, string?>(Uri.UnescapeDataString(pair[..eq].Replace('+', ' ')), Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' ')));
        }));

    /// <summary>Tags are compared lower case, trimmed, inner whitespace as one dash.</summary>
    public static string NormaliseTag(string tag) =>
        string.Join('-', tag.Trim().ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    /// <summary>The filter as a query string without the leading "?" (empty for no filter), in a stable order.</summary>
    public string ToQueryString(bool withView = true)
    {
        var pairs = new List<(string Key, string Value)>();
        pairs.AddRange(Models.Select(m => ("model", m)));
        foreach (var (name, values) in Conditions.OrderBy(c => c.Key, StringComparer.Ordinal))
            pairs.AddRange(values.Select(v => ($"c.{name}", v)));
        pairs.AddRange(Tags.Select(t => ("tag", t)));
        if (Collection is { } collection)
            pairs.Add(("collection", collection.ToString()));
        if (Favourites)
            pairs.Add(("fav", "true"));
        if (From is { } from)
            pairs.Add(("from", from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        if (To is { } to)
            pairs.Add(("to", to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        if (!string.IsNullOrEmpty(Author))
            pairs.Add(("author", Author));
        if (!string.IsNullOrEmpty(Text))
            pairs.Add(("q", Text));
        if (withView && Sort != GallerySort.Date)
            pairs.Add(("sort", Sort.ToString().ToLowerInvariant()));
        if (withView && Size != "m")
            pairs.Add(("size", Size));
        var text = new StringBuilder();
        foreach (var (key, value) in pairs)
            text.Append(text.Length == 0 ? "" : "&").Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        return text.ToString();
    }

    /// <summary>Whether anything narrows the set (sort and size do not).</summary>
    public bool Narrows => ToQueryString(withView: false).Length > 0;

    public GalleryFilter ToggleModel(string sha) => this with { Models = Toggle(Models, sha) };

    public GalleryFilter ToggleTag(string tag) => this with { Tags = Toggle(Tags, tag) };

    public GalleryFilter ToggleCondition(string name, string value)
    {
        var conditions = Conditions.ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        var next = Toggle(conditions.GetValueOrDefault(name) ?? [], value);
        if (next.Count == 0)
            conditions.Remove(name);
        else
            conditions[name] = next;
        return this with { Conditions = conditions };
    }

    public bool Has(string name, string value) => Conditions.TryGetValue(name, out var values) && values.Contains(value);

    private static IReadOnlyList<string> Toggle(IReadOnlyList<string> list, string value) =>
        list.Contains(value) ? list.Where(v => v != value).ToList() : [.. list, value];

    private static void Add(List<string> list, string value)
    {
        if (!list.Contains(value))
            list.Add(value);
    }
}
