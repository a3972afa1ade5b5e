using Microsoft.AspNetCore.Diagnostics;
using Aigc.Portal.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aigc.Portal.Features.Errors;

public static class ErrorEndpoints
{
    /// <summary>Status-code and exception re-execution land here, whatever the original method was.</summary>
    public static IEndpointRouteBuilder MapErrorPages(this IEndpointRouteBuilder app)
    {
        app.Map("/error/{code:int}", (int code, HttpContext context) =>
            {
                code = code is >= 400 and <= 599 ? code : 404;
                var exception = context.Features.Get<IExceptionHandlerFeature>()?.Error;
                context.Response.StatusCode = code;
                var originalPath = context.Features.Get<IStatusCodeReExecuteFeature>()?.OriginalPath
                    ?? context.Features.Get<IExceptionHandlerPathFeature>()?.Path
                    ?? context.Request.Path.Value;
                if (HttpRequestExtensions.IsApiPath(originalPath))
                {
                    return Results.Problem(statusCode: code);
                }

                // A page that answered 404 while rendering (NavigationManager.NotFound) re-executes here with the
                // header Blazor already set; writing the error page would add it twice and fail with a 500.
                context.Response.Headers.Remove("blazor-enhanced-nav");
                return new RazorComponentResult<ErrorDocument>(new { Code = code, Exception = exception }) { StatusCode = code };
            })
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription();
        return app;
    }
}
