namespace Aigc.Imaging.Ads;

/// <summary>The words of an ad. Headline and call to action are required; the others may be empty.</summary>
public sealed record AdTexts(string Headline, string? Subline, string CallToAction, string? Legal)
{
    public const int MaxHeadline = 90;
    public const int MaxSubline = 160;
    public const int MaxCallToAction = 30;
    public const int MaxLegal = 400;

    public string? For(AdSlot slot) => slot switch
    {
        AdSlot.Headline => Headline,
        AdSlot.Subline => Subline,
        AdSlot.CallToAction => CallToAction,
        AdSlot.Legal => Legal,
        _ => null,
    };

    /// <summary>Problems as (field, message), empty when the texts can be rendered.</summary>
    public IReadOnlyList<(string Field, string Message)> Validate()
    {
        var problems = new List<(string, string)>();
        void Check(string field, string label, string? value, int max, bool required)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                if (required) problems.Add((field, $"{label} is required."));
                return;
            }
            if (value.Length > max) problems.Add((field, $"{label} is {value.Length} characters; at most {max}."));
            if (value.Any(c => char.IsControl(c) && c != '\n')) problems.Add((field, $"{label} contains control characters."));
        }
        Check("headline", "Headline", Headline, MaxHeadline, true);
        Check("subline", "Subline", Subline, MaxSubline, false);
        Check("cta", "Call to action", CallToAction, MaxCallToAction, true);
        Check("legal", "Legal text", Legal, MaxLegal, false);
        return problems;
    }
}
