using Aigc.Portal.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace Aigc.Portal.Features.Api;

/// <summary>
/// The HTTP API under /api, for scripts and other services. Every error is problem+json (the error endpoint answers
/// /api paths that way); a browser session may call it too, with the antiforgery header on state changes.
/// </summary>
public static class ApiEndpoints
{
    public static IEndpointRouteBuilder MapApiEndpoints(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api")
            .RequireAuthorization(PortalPolicies.Gallery)
            .AddEndpointFilter(RequireAntiforgeryForCookies)
            .DisableAntiforgery();
        api.MapGenerationApi();
        api.MapBlueprintApi();
        api.MapModelApi();
        // Datasets and runs are for admins and trainers, whose roles the gallery's policy does not cover.
        app.MapGroup("/api")
            .RequireAuthorization(PortalPolicies.Training)
            .AddEndpointFilter(RequireAntiforgeryForCookies)
            .DisableAntiforgery()
            .MapTrainingApi();
        app.MapOpenApi().RequireAuthorization();
        return app;
    }

    /// <summary>A cookie rides along with any cross-site request; a bearer token does not, so only cookie calls need the header.</summary>
    private static async ValueTask<object?> RequireAntiforgeryForCookies(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method)
            && http.User.Identity?.AuthenticationType != ApiTokenAuthentication.Scheme
            && !await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
        {
            return Results.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Missing antiforgery token",
                detail: "Calls signed in by cookie that change state must send the RequestVerificationToken header; scripts should use an API token.");
        }

        return await next(context);
    }
}
