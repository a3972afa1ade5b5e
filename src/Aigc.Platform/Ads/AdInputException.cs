using Aigc.Platform.Refusals;

namespace Aigc.Platform.Ads;

/// <summary>A brand kit or campaign form was refused; each problem names its form field and is fit to show the user.</summary>
public sealed class AdInputException(IReadOnlyList<AdInputProblem> problems)
    : Exception(string.Join(" ", problems.Select(p => p.Message)))
{
    public AdInputException(Refusal refusal) : this([new AdInputProblem(refusal)])
    {
    }

    public IReadOnlyList<AdInputProblem> Problems { get; } = problems;
}

/// <summary>One refused form field: the <see cref="Refusal"/> the web words in the user's language.</summary>
public sealed record AdInputProblem(Refusal Refusal)
{
    public string Field => Refusal.Field;

    /// <summary>The refusal in English (logs, tests).</summary>
    public string Message => Refusal.English;
}
