using Aigc.Platform.Ads;

namespace Aigc.Portal.Features.Ads;

/// <summary>Reads the composer's and the brand kit editor's form fields into the platform's form records.</summary>
internal static class AdsFormReader
{
    public static CampaignForm Campaign(IFormCollection form) => new(
        form["name"], Guid.TryParse(form["kit"], out var kit) ? kit : null, form["template"],
        form["headline"], form["subline"], form["cta"], form["legal"], form["treatment"],
        form["sizes"].Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToList(),
        form["blueprint"].Select(b => Guid.TryParse(b, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).ToList());

    public static BrandKitForm Kit(IFormCollection form) => new(
        form["team"], form["name"], form["primary"], form["secondary"], form["background"], form["font"], form["cta"]);

    public static Guid? CampaignId(IFormCollection form) => Guid.TryParse(form["campaign"], out var id) ? id : null;
}
