using System.Security.Cryptography;
using System.Text;
using Aigc.Platform.Audit;
using Aigc.Platform.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Accounts;

/// <summary>
/// Self-service registration: with an invite (approved at once, with the invite's role, the invite used up) or as a
/// Viewer waiting for an administrator's approval. Scoped, for the static registration page: it shares the request's
/// unit of work with Identity's UserManager.
/// </summary>
public sealed class Registrations(UserManager<PortalUser> users, PortalDbContext db, TimeProvider clock)
{
    /// <summary>The invite if the token is known, unused and not expired; otherwise null.</summary>
    public async Task<Invite?> FindUsableInviteAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100)
            return null;
        var hash = HashInviteToken(token);
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.Invites.FirstOrDefaultAsync(i => i.TokenHash == hash && i.UsedAt == null && i.ExpiresAt > now,
            cancellationToken);
    }

    /// <summary>
    /// Creates the account. Refused (nothing stored) when the invite names another email or Identity rejects the
    /// password or email; <see cref="RegistrationOutcome.InvitedEmail"/> or the errors say why.
    /// </summary>
    public async Task<RegistrationOutcome> RegisterAsync(Invite? invite, string displayName, string email, string password,
        CancellationToken cancellationToken = default)
    {
        email = email.Trim();
        if (invite?.Email is { } invited && !string.Equals(invited, email, StringComparison.OrdinalIgnoreCase))
            return new RegistrationOutcome(null, [], invited);

        var now = clock.GetUtcNow().UtcDateTime;
        var user = new PortalUser
        {
            UserName = email,
            Email = email,
            DisplayName = displayName.Trim(),
            ApprovedAt = invite is null ? null : now,
        };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded)
            return new RegistrationOutcome(null, created.Errors.ToList(), null);

        await users.AddToRoleAsync(user, invite?.Role ?? PortalRoles.Viewer);
        var audit = new AuditLog(db, clock);
        if (invite is not null)
        {
            invite.UsedAt = now;
            invite.UsedByUserId = user.Id;
            audit.Record(null, "user.register-invited", user.Id, email, $"role={invite.Role}");
        }
        else
        {
            audit.Record(null, "user.register", user.Id, email, "waiting for approval");
        }

        await db.SaveChangesAsync(cancellationToken);
        return new RegistrationOutcome(user, [], null);
    }

    /// <summary>Invite links carry a random token; only this hash of it is stored.</summary>
    public static string HashInviteToken(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

/// <summary>A registration's result: the new user, or Identity's errors, or the email the invite was meant for.</summary>
public sealed record RegistrationOutcome(PortalUser? User, IReadOnlyList<IdentityError> Errors, string? InvitedEmail);
