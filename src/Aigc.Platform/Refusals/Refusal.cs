using System.Globalization;

namespace Aigc.Platform.Refusals;

/// <summary>
/// Why the platform refused a request, in one shape for every way in: a stable <see cref="Code"/> (one of
/// <see cref="RefusalTexts"/>), the request or form <see cref="Field"/> it concerns and the values its text names.
/// The web words it in the user's language from the code; <see cref="English"/> is the wording of the HTTP API and
/// the logs.
/// An argument may be a <see cref="RefusalTerm"/>, a word (a form field's label) that is translated too.
/// </summary>
public sealed record Refusal(string Code, string Field, params object[] Arguments)
{
    public string English => string.Format(CultureInfo.InvariantCulture, RefusalTexts.EnglishFor(Code),
        Arguments.Select(a => a is RefusalTerm term ? RefusalTexts.EnglishFor(term.Key) : a).ToArray());

    public override string ToString() => English;
}

/// <summary>A word inside a refusal (the label "Headline"); its key is one of <see cref="RefusalTexts"/>'s.</summary>
public sealed record RefusalTerm(string Key);
