using Aigc.Platform.Ads;

namespace Aigc.Portal.Features.Ads;

/// <summary>Reads the composer's and the brand kit editor's form fields into the platform's form records.</summary>
internal static class AdsFormReader
{
    /// <summary>The composer's fields; a preview shows placeholders for the required texts not written yet.</summary>
    public static CampaignForm Campaign(IFormCollection form, bool forPreview = false) => new(
        form["name"], Guid.TryParse(form["kit"], out var kit) ? kit : null, form["template"],
        Placeholder(form["headline"], forPreview, "Your headline here"), form["subline"], Placeholder(form["cta"], forPreview, "Learn more"),
        form["legal"], form["treatment"],
        form["sizes"].Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToList(),
        form["blueprint"].Select(b => Guid.TryParse(b, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).ToList());

    private static string? Placeholder(string? value, bool forPreview, string placeholder) =>
        forPreview && string.IsNullOrWhiteSpace(value) ? placeholder : value;

    public static BrandKitForm Kit(IFormCollection form) => new(
        form["team"], form["name"], form["primary"], form["secondary"], form["background"], form["font"], form["cta"]);

    public static Guid? CampaignId(IFormCollection form) => Guid.TryParse(form["campaign"], out var id) ? id : null;
}
