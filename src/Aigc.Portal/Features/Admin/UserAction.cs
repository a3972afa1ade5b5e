using Aigc.Platform.Audit;
using Aigc.Platform.Data;
using Aigc.Portal.Web;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Aigc.Portal.Features.Admin;

/// <summary>
/// The shared shape of an admin action on one user: load, change, audit, save, then answer with the fresh row
/// (htmx) or a redirect back to the list (plain form post). Bound per request from DI.
/// </summary>
public sealed class UserAction(
    IHttpContextAccessor accessor,
    UserManager<PortalUser> users,
    PortalDbContext db,
    AuditLog audit,
    PendingRegistrationsFeed pendingFeed)
{
    private HttpContext Context => accessor.HttpContext ?? throw new InvalidOperationException("No current request.");

    public string? Details { get; set; }

    public string? ResetLink { get; set; }

    public bool IsSelf(PortalUser user) => user.Id == AdminEndpoints.CurrentUserId(Context.User);

    public async Task<IResult> RunAsync(string id, string auditAction, Func<PortalUser, UserManager<PortalUser>, Task<(string Notice, bool IsError)>> change)
    {
        var user = await users.FindByIdAsync(id);
        if (user is null)
        {
            return Results.NotFound();
        }

        string notice;
        bool isError;
        try
        {
            (notice, isError) = await change(user, users);
        }
        catch (InvalidOperationException e)
        {
            (notice, isError) = (e.Message, true);
        }

        if (!isError)
        {
            audit.Record(Context.User, auditAction, user.Id, user.Email, Details);
            await db.SaveChangesAsync(Context.RequestAborted);
            pendingFeed.Notify();
        }

        if (!Context.Request.IsHtmx())
        {
            return Results.LocalRedirect($"/admin/users?q={Uri.EscapeDataString(user.Email ?? "")}");
        }

        var row = await UserQueries.FindAsync(db, id, Context.RequestAborted);
        return new RazorComponentResult<UserRow>(new
        {
            User = row!,
            CurrentUserId = AdminEndpoints.CurrentUserId(Context.User),
            Notice = notice,
            NoticeIsError = isError,
            ResetLink,
        });
    }
}
