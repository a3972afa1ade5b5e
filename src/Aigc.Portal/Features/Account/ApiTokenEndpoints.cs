using System.Security.Claims;
using Aigc.Platform.Accounts;
using Aigc.Portal.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Aigc.Portal.Features.Account;

/// <summary>Creating and revoking one's own API tokens from the account page; each answers with the re-rendered token card.</summary>
public static class ApiTokenEndpoints
{
    private const int MaxDays = 3650;

    public static IEndpointRouteBuilder MapApiTokenEndpoints(this IEndpointRouteBuilder app)
    {
        var tokens = app.MapGroup("/account/tokens").ValidateAntiforgery().DisableAntiforgery().ExcludeFromDescription();

        tokens.MapPost("", async ([FromForm] string? name, [FromForm] int? expiresInDays, HttpContext context, ApiTokens store, TimeProvider clock) =>
        {
            var now = clock.GetUtcNow().UtcDateTime;
            if (string.IsNullOrWhiteSpace(name) || name.Trim().Length > ApiTokens.MaxNameLength)
                return await PanelAsync(context, store, now, notice: $"Give the token a name of 1 to {ApiTokens.MaxNameLength} characters.", error: true);
            if (expiresInDays is < 0 or > MaxDays)
                return await PanelAsync(context, store, now, notice: $"The expiry must be 0 (never) to {MaxDays} days.", error: true);
            var expiresAt = expiresInDays is null or 0 ? (DateTime?)null : now.AddDays(expiresInDays.Value);
            var (_, secret) = await store.CreateAsync(context.User, name, expiresAt, context.RequestAborted);
            return await PanelAsync(context, store, now, secret: secret);
        });

        tokens.MapPost("/{id:guid}/revoke", async (Guid id, HttpContext context, ApiTokens store, TimeProvider clock) =>
        {
            var revoked = await store.RevokeAsync(context.User, id, context.RequestAborted);
            return await PanelAsync(context, store, clock.GetUtcNow().UtcDateTime,
                notice: revoked ? "Revoked. Calls with that token are refused from now on." : "No such live token of yours.", error: !revoked);
        });

        return app;
    }

    private static async Task<RazorComponentResult<ApiTokenPanel>> PanelAsync(
        HttpContext context, ApiTokens store, DateTime now, string? secret = null, string? notice = null, bool error = false)
    {
        var list = await store.ListAsync(context.User.FindFirstValue(ClaimTypes.NameIdentifier)!, context.RequestAborted);
        return new RazorComponentResult<ApiTokenPanel>(new { Tokens = list, Now = now, Secret = secret, Notice = notice, NoticeIsError = error })
        {
            StatusCode = error ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK,
        };
    }
}
