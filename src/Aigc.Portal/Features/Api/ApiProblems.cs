using System.Globalization;
using Aigc.Platform.Queue;

namespace Aigc.Portal.Features.Api;

/// <summary>Every refusal of the API as application/problem+json, naming the offending field where there is one.</summary>
internal static class ApiProblems
{
    public static IResult Invalid(string field, string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] }, title: "The request is not valid.");

    public static IResult NotFound(string what) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: $"No {what} with that id is visible to you.");

    public static IResult Conflict(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: detail);

    /// <summary>Invalid → 400, a role that may not generate → 403, a user's cap or quota → 429, a full queue → 503 with Retry-After.</summary>
    public static IResult Refused(GenerationRefusedException refusal, HttpContext context)
    {
        var errors = new Dictionary<string, string[]> { [refusal.Field] = [refusal.Message] };
        switch (refusal.Kind)
        {
            case RefusalKind.Invalid:
                return Results.ValidationProblem(errors, title: "The request is not valid.");
            case RefusalKind.Forbidden:
                return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Not allowed", detail: refusal.Message);
            case RefusalKind.Limit:
                return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Limit reached", detail: refusal.Message,
                    extensions: new Dictionary<string, object?> { ["field"] = refusal.Field, ["errors"] = errors });
            default:
                var seconds = (int)Math.Ceiling((refusal.RetryAfter ?? TimeSpan.FromSeconds(1)).TotalSeconds);
                context.Response.Headers.RetryAfter = Math.Max(1, seconds).ToString(CultureInfo.InvariantCulture);
                return Results.Problem(statusCode: StatusCodes.Status503ServiceUnavailable, title: "The queue is full", detail: refusal.Message,
                    extensions: new Dictionary<string, object?> { ["field"] = refusal.Field, ["errors"] = errors, ["retryAfterSeconds"] = Math.Max(1, seconds) });
        }
    }
}
