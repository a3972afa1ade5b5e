using Aigc.Platform.Refusals;
using Microsoft.Extensions.Localization;

namespace Aigc.Portal.Components;

/// <summary>Words a Platform refusal in the current UI language: its code's text, the terms it names translated, its
/// numbers in the current culture.</summary>
public static class RefusalWording
{
    public static string Say(this IStringLocalizer<RefusalText> texts, Refusal refusal) =>
        texts[refusal.Code, [.. refusal.Arguments.Select(a => a is RefusalTerm term ? texts[term.Key].Value : a)]];
}
