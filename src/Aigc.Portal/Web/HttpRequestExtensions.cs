using Aigc.Observability;

namespace Aigc.Portal.Web;

public static class HttpRequestExtensions
{
    public static bool IsApi(this HttpRequest request) => IsApiPath(request.Path);

    /// <summary>
    /// The HTTP API, its OpenAPI document and the metrics scrape: for programs, so answered with status codes and
    /// problem+json, never with pages or redirects, and open to bearer API tokens.
    /// </summary>
    public static bool IsApiPath(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/openapi")
        || path.StartsWithSegments(ObservabilityOptions.MetricsPath);

    /// <summary>EventSource cannot follow a redirect to a sign-in page, so it gets a plain status code.</summary>
    public static bool IsEventStream(this HttpRequest request) =>
        request.Headers.Accept.Any(a => a is not null && a.Contains("text/event-stream", StringComparison.OrdinalIgnoreCase));
}
