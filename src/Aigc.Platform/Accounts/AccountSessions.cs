using System.Security.Claims;
using Aigc.Platform.Audit;
using Aigc.Platform.Data;
using Microsoft.AspNetCore.Identity;

namespace Aigc.Platform.Accounts;

/// <summary>
/// The sessions of an account. Scoped: it shares the request's unit of work with Identity's UserManager, so the new
/// security stamp and its audit entry land together.
/// </summary>
public sealed class AccountSessions(UserManager<PortalUser> users, PortalDbContext db, AuditLog audit)
{
    /// <summary>
    /// Ends every session of the signed-in user, on every device: a new security stamp invalidates every cookie
    /// issued before it. False (nothing changed) when the principal names no user.
    /// </summary>
    public async Task<bool> EndAllAsync(ClaimsPrincipal principal, CancellationToken cancellationToken = default)
    {
        if (await users.GetUserAsync(principal) is not { } user)
            return false;
        await users.UpdateSecurityStampAsync(user);
        audit.Record(principal, "user.sign-out-everywhere", user.Id, user.Email);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }
}
