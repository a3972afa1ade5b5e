namespace Aigc.Platform.Ads;

/// <summary>A brand kit or campaign form was refused; each problem names its form field and is fit to show the user.</summary>
public sealed class AdInputException(IReadOnlyList<AdInputProblem> problems)
    : Exception(string.Join(" ", problems.Select(p => p.Message)))
{
    public AdInputException(string field, string message) : this([new AdInputProblem(field, message)])
    {
    }

    public IReadOnlyList<AdInputProblem> Problems { get; } = problems;
}

public sealed record AdInputProblem(string Field, string Message);
