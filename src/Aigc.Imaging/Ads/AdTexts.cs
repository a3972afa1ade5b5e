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

    /// <summary>Problems, each naming its field; empty when the texts can be rendered.</summary>
    public IReadOnlyList<AdTextProblem> Validate()
    {
        var problems = new List<AdTextProblem>();
        void Check(string field, string label, string? value, int max, bool required)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                if (required) problems.Add(new(field, label, AdTextIssue.Required));
                return;
            }
            if (value.Length > max) problems.Add(new(field, label, AdTextIssue.TooLong, value.Length, max));
            if (value.Any(c => char.IsControl(c) && c != '\n')) problems.Add(new(field, label, AdTextIssue.ControlCharacters));
        }
        Check("headline", "Headline", Headline, MaxHeadline, true);
        Check("subline", "Subline", Subline, MaxSubline, false);
        Check("cta", "Call to action", CallToAction, MaxCallToAction, true);
        Check("legal", "Legal text", Legal, MaxLegal, false);
        return problems;
    }
}

public enum AdTextIssue
{
    Required,
    TooLong,
    ControlCharacters,
}

/// <summary>What is wrong with one text of an ad; the caller words it (the portal in the user's language).</summary>
public sealed record AdTextProblem(string Field, string Label, AdTextIssue Issue, int Length = 0, int Max = 0)
{
    public string Message => Issue switch
    {
        AdTextIssue.Required => $"{Label} is required.",
        AdTextIssue.TooLong => $"{Label} is {Length} characters; at most {Max}.",
        _ => $"{Label} contains control characters.",
    };
}
