using System.Security.Claims;
using Aigc.Platform.Accounts;
using Aigc.Portal.Web;
using Aigc.Portal.Web.Localization;

namespace Aigc.Portal.Features.Account;

/// <summary>Language and theme switches that need a full request: a cookie to write, or a page without a circuit.</summary>
public static class PreferenceEndpoints
{
    public static IEndpointRouteBuilder MapPreferenceEndpoints(this IEndpointRouteBuilder app)
    {
        // A plain link, so it works on the static sign-in pages too; it only ever stores a supported language.
        app.MapGet("/preferences/culture", async (string? culture, string? returnUrl, HttpContext context,
            UserPreferences preferences) =>
        {
            if (UserPreferences.Supported(culture) is { } known)
            {
                PortalLocalization.WriteCultureCookie(context.Response, known);
                if (context.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId)
                {
                    await preferences.SetCultureAsync(userId, known, context.RequestAborted);
                }
            }

            return Results.LocalRedirect(Login.LocalReturnUrl(returnUrl));
        }).AllowAnonymous();

        // Pages without a circuit switch the theme with a form.
        app.MapPost("/preferences/theme", async (HttpContext context, UserPreferences preferences) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var userId = context.User.FindFirstValue(ClaimTypes.NameIdentifier)!;
            await preferences.SetDarkAsync(userId, form["theme"] == UiPreferences.DarkTheme, context.RequestAborted);
            return Results.LocalRedirect(Login.LocalReturnUrl(form["returnUrl"]));
        }).ValidateAntiforgery().DisableAntiforgery();

        return app;
    }
}
