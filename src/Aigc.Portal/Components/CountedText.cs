using System.Globalization;
using Microsoft.Extensions.Localization;

namespace Aigc.Portal.Components;

/// <summary>
/// A text about a number of things: "1 user", "2 users". English has a singular, so every such text has a second
/// resource under its key + "One" (Chinese repeats the same words there); the count is argument {0}, in the culture's
/// digits, and the rest follow it.
/// </summary>
public static class CountedText
{
    public static string Counted(this IStringLocalizer texts, string key, long count, params object[] more) =>
        texts[count == 1 ? key + "One" : key, [count.ToString("N0", CultureInfo.CurrentCulture), .. more]];
}
