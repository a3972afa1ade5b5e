using Aigc.Imaging.Ads;

namespace Aigc.Platform.Ads;

/// <summary>A campaign as composed in the form: blueprints, kit, template, texts, treatment and sizes.</summary>
public sealed record CampaignForm(
    string? Name,
    Guid? BrandKitId,
    string? TemplateId,
    string? Headline,
    string? Subline,
    string? CallToAction,
    string? Legal,
    string? Treatment,
    IReadOnlyList<string> Sizes,
    IReadOnlyList<Guid> BlueprintIds)
{
    public AdTexts Texts => new(Headline?.Trim() ?? "", Blank(Subline), CallToAction?.Trim() ?? "", Blank(Legal));

    /// <summary>Problems that need no database: texts, template, treatment, sizes, name.</summary>
    public List<AdInputProblem> Validate(bool forPreview, int maxBlueprints)
    {
        var problems = Texts.Validate().Select(p => new AdInputProblem(p.Field, p.Message)).ToList();
        if (!forPreview)
        {
            if (string.IsNullOrWhiteSpace(Name)) problems.Add(new("name", "Campaign name is required."));
            else if (Name.Trim().Length > 100) problems.Add(new("name", "Campaign name is at most 100 characters."));
            if (Sizes.Count == 0) problems.Add(new("sizes", "Choose at least one size."));
        }
        if (string.IsNullOrEmpty(TemplateId) || !AdTemplateCatalog.TryGet(TemplateId, out _))
            problems.Add(new("template", $"Choose a template: {string.Join(", ", AdTemplateCatalog.All.Select(t => t.Id))}."));
        if (!string.IsNullOrEmpty(Treatment) && !Enum.TryParse<ProductShotTreatment>(Treatment, ignoreCase: true, out _))
            problems.Add(new("treatment", $"Treatment must be one of {string.Join(", ", Enum.GetNames<ProductShotTreatment>()).ToLowerInvariant()}, or empty for the template's own."));
        foreach (var size in Sizes)
            if (!AdSize.Standard.Any(s => s.ToString() == size))
                problems.Add(new("sizes", $"'{size}' is not a supported size; use {string.Join(", ", AdSize.Standard)}."));
        if (BlueprintIds.Count == 0) problems.Add(new("blueprints", "Pick at least one blueprint."));
        else if (BlueprintIds.Count > maxBlueprints) problems.Add(new("blueprints", $"Pick at most {maxBlueprints} blueprints per campaign."));
        if (BrandKitId is null) problems.Add(new("kit", "Choose a brand kit."));
        return problems;
    }

    public ProductShotTreatment? ParsedTreatment =>
        string.IsNullOrEmpty(Treatment) ? null : Enum.Parse<ProductShotTreatment>(Treatment, ignoreCase: true);

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
