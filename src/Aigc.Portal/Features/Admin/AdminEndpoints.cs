using System.Security.Claims;
using Aigc.Platform.Accounts;
using Aigc.Platform.Audit;
using Aigc.Platform.Data;
using Aigc.Portal.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Aigc.Portal.Features.Admin;

/// <summary>User administration. Each action answers htmx with the re-rendered row and plain forms with a redirect.</summary>
public static class AdminEndpoints
{
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin").RequireAuthorization(PortalPolicies.Admin).ValidateAntiforgery().DisableAntiforgery();

        admin.MapGet("/users/rows", async (string? q, int? page, HttpContext context, PortalDbContext db) =>
        {
            var result = await UserQueries.SearchAsync(db, q, page ?? 1, context.RequestAborted);
            // Keeps the address bar in step with the search, so it can be bookmarked and survives reload.
            context.Response.Headers["HX-Replace-Url"] = $"/admin/users?q={Uri.EscapeDataString(result.Query)}&page={result.Page}";
            return new RazorComponentResult<UserTable>(new { Result = result, CurrentUserId = CurrentUserId(context.User) });
        });

        admin.MapGet("/events/pending", (PendingRegistrationsFeed feed, CancellationToken cancellationToken) =>
            TypedResults.ServerSentEvents(feed.StreamAsync(cancellationToken)));

        admin.MapPost("/users/{id}/approve", (string id, UserAction action, TimeProvider clock) =>
            action.RunAsync(id, "user.approve", async (user, users) =>
            {
                if (user.ApprovedAt is not null)
                {
                    return ("Already approved.", false);
                }

                user.ApprovedAt = clock.GetUtcNow().UtcDateTime;
                Check(await users.UpdateAsync(user));
                return ("Approved. The user can sign in now.", false);
            }));

        admin.MapPost("/users/{id}/lock", (string id, UserAction action) =>
            action.RunAsync(id, "user.lock", async (user, users) =>
            {
                if (action.IsSelf(user))
                {
                    return ("You cannot lock your own account.", true);
                }

                Check(await users.SetLockoutEnabledAsync(user, true));
                Check(await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue));
                // Ends the user's open sessions at their next validation.
                Check(await users.UpdateSecurityStampAsync(user));
                return ("Locked. Open sessions end within a minute.", false);
            }));

        admin.MapPost("/users/{id}/unlock", (string id, UserAction action) =>
            action.RunAsync(id, "user.unlock", async (user, users) =>
            {
                Check(await users.SetLockoutEndDateAsync(user, null));
                Check(await users.ResetAccessFailedCountAsync(user));
                return ("Unlocked.", false);
            }));

        admin.MapPost("/users/{id}/roles", (string id, HttpContext context, UserAction action) =>
            action.RunAsync(id, "user.roles", async (user, users) =>
            {
                var form = await context.Request.ReadFormAsync(context.RequestAborted);
                var wanted = form["roles"].Where(r => r is not null && PortalRoles.All.Contains(r)).Select(r => r!).ToHashSet();
                if (action.IsSelf(user))
                {
                    // An admin never removes their own admin role by accident; another admin can.
                    wanted.Add(PortalRoles.Admin);
                }

                var current = (await users.GetRolesAsync(user)).ToHashSet();
                var add = wanted.Except(current).ToList();
                var remove = current.Except(wanted).ToList();
                if (add.Count > 0)
                {
                    Check(await users.AddToRolesAsync(user, add));
                }

                if (remove.Count > 0)
                {
                    Check(await users.RemoveFromRolesAsync(user, remove));
                }

                action.Details = $"roles={string.Join(",", wanted.Order())}";
                return ($"Roles saved: {(wanted.Count == 0 ? "none" : string.Join(", ", wanted.Order()))}.", false);
            }));

        admin.MapPost("/users/{id}/reset-link", (string id, UserAction action, HttpContext context) =>
            action.RunAsync(id, "user.reset-link", async (user, users) =>
            {
                var code = await users.GeneratePasswordResetTokenAsync(user);
                action.ResetLink = $"{context.Request.Scheme}://{context.Request.Host}/account/reset-password" +
                                   $"?user={Uri.EscapeDataString(user.Id)}&code={Uri.EscapeDataString(code)}";
                return ("Give this link to the user; it works once.", false);
            }));

        return app;
    }

    internal static string? CurrentUserId(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier);

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
