namespace Aigc.Imaging.Ads;

/// <summary>The built-in templates, read from the SVG files embedded in this assembly (Ads/Templates/*.svg).</summary>
public static class AdTemplateCatalog
{
    private static readonly Lazy<IReadOnlyList<AdTemplate>> Templates = new(Load);

    public static IReadOnlyList<AdTemplate> All => Templates.Value;

    public static AdTemplate Get(string id) =>
        All.FirstOrDefault(t => t.Id == id) ?? throw new KeyNotFoundException($"No ad template '{id}'; templates are {string.Join(", ", All.Select(t => t.Id))}.");

    public static bool TryGet(string id, out AdTemplate template)
    {
        template = All.FirstOrDefault(t => t.Id == id)!;
        return template is not null;
    }

    private static IReadOnlyList<AdTemplate> Load()
    {
        var assembly = typeof(AdTemplateCatalog).Assembly;
        const string prefix = "Aigc.Imaging.Ads.Templates.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".svg", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(n =>
            {
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return AdTemplate.Parse(n[prefix.Length..^4], reader.ReadToEnd());
            })
            .ToArray();
    }
}
