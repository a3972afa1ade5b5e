using Microsoft.AspNetCore.Antiforgery;

namespace Aigc.Portal.Web;

/// <summary>
/// Minimal APIs only check antiforgery on their own when they bind a form; state-changing endpoints that take
/// no form fields (approve, lock, sign out) get the same check through this filter.
/// </summary>
public static class AntiforgeryValidation
{
    public static TBuilder ValidateAntiforgery<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
            {
                var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
                if (!await antiforgery.IsRequestValidAsync(http))
                {
                    return Results.Problem(
                        statusCode: StatusCodes.Status400BadRequest,
                        title: "The form has expired",
                        detail: "Reload the page and try again; nothing was changed.");
                }
            }

            return await next(context);
        });
}
