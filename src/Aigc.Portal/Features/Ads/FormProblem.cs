using Aigc.Platform.Ads;
using Aigc.Portal.Components;
using Microsoft.Extensions.Localization;

namespace Aigc.Portal.Features.Ads;

/// <summary>A problem shown next to its form field, already in the user's language.</summary>
public sealed record FormProblem(string Field, string Text)
{
    /// <summary>The Platform's refusals, worded once where they are caught.</summary>
    public static IReadOnlyList<FormProblem> From(AdInputException refused, IStringLocalizer<RefusalText> texts) =>
        [.. refused.Problems.Select(p => new FormProblem(p.Field, texts.Say(p.Refusal)))];
}
