using Aigc.Imaging.Ads;
using Aigc.Platform.Refusals;

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
        var problems = Texts.Validate().Select(TextProblem).ToList();
        void Add(string code, string field, params object[] arguments) =>
            problems.Add(new(new Refusal(code, field, arguments)));
        if (!forPreview)
        {
            if (string.IsNullOrWhiteSpace(Name)) Add("Required", "name", new RefusalTerm("Term.CampaignName"));
            else if (Name.Trim().Length > 100) Add("CampaignNameTooLong", "name", 100);
            if (Sizes.Count == 0) Add("ChooseSize", "sizes");
        }
        if (string.IsNullOrEmpty(TemplateId) || !AdTemplateCatalog.TryGet(TemplateId, out _))
            Add("ChooseTemplate", "template", string.Join(", ", AdTemplateCatalog.All.Select(t => t.Id)));
        if (!string.IsNullOrEmpty(Treatment) && !Enum.TryParse<ProductShotTreatment>(Treatment, ignoreCase: true, out _))
            Add("Treatment", "treatment", string.Join(", ", Enum.GetNames<ProductShotTreatment>()).ToLowerInvariant());
        foreach (var size in Sizes)
            if (!AdSize.Standard.Any(s => s.ToString() == size))
                Add("UnsupportedSize", "sizes", size, string.Join(", ", AdSize.Standard));
        if (BlueprintIds.Count == 0) Add("PickBlueprint", "blueprints");
        else if (BlueprintIds.Count > maxBlueprints) Add("TooManyBlueprints", "blueprints", maxBlueprints);
        if (BrandKitId is null) Add("ChooseKit", "kit");
        return problems;
    }

    private static AdInputProblem TextProblem(AdTextProblem problem)
    {
        var label = new RefusalTerm(problem.Field switch
        {
            "headline" => "Term.Headline",
            "subline" => "Term.Subline",
            "cta" => "Term.CallToAction",
            _ => "Term.Legal",
        });
        return new(problem.Issue switch
        {
            AdTextIssue.Required => new Refusal("Required", problem.Field, label),
            AdTextIssue.TooLong => new Refusal("TooLong", problem.Field, label, problem.Length, problem.Max),
            _ => new Refusal("ControlCharacters", problem.Field, label),
        });
    }

    public ProductShotTreatment? ParsedTreatment =>
        string.IsNullOrEmpty(Treatment) ? null : Enum.Parse<ProductShotTreatment>(Treatment, ignoreCase: true);

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
