using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Aigc.Portal.Web;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;

namespace Aigc.Portal.Features.Account;

public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account").ValidateAntiforgery().DisableAntiforgery();

        // Sign-out is a POST with an antiforgery token, so no page or image can sign a user out.
        account.MapPost("/logout", async (SignInManager<PortalUser> signIn) =>
        {
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/account/login");
        }).AllowAnonymous();

        account.MapPost("/sign-out-everywhere", async (HttpContext context, AccountSessions sessions,
            SignInManager<PortalUser> signIn) =>
        {
            // Not the request's token: the audit entry should land even if the browser goes away meanwhile.
            await sessions.EndAllAsync(context.User);
            await signIn.SignOutAsync();
            return Results.LocalRedirect("/account/login?status=signed-out-everywhere");
        });

        return app;
    }

    /// <summary>Until a user replaces a password someone else set, every page leads to the change-password form.</summary>
    public static IApplicationBuilder UseMustChangePassword(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            if (context.User.HasClaim(PortalClaimsFactory.MustChangePasswordClaim, "true")
                && context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is null
                && !context.Request.Path.StartsWithSegments("/account"))
            {
                if (context.Request.IsApi())
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                }

                context.Response.Redirect("/account/password");
                return Task.CompletedTask;
            }

            return next(context);
        });
}
