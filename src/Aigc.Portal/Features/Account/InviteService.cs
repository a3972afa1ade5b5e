using System.Security.Cryptography;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Microsoft.Extensions.Options;

namespace Aigc.Portal.Features.Account;

/// <summary>Single-use registration links. The token is shown once; only its hash is stored (Registrations reads it).</summary>
public sealed class InviteService(PortalDbContext db, IOptions<AccountsOptions> options, TimeProvider clock)
{
    public (Invite Invite, string Token) Create(string role, string? email, string createdById)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        var now = clock.GetUtcNow().UtcDateTime;
        var invite = new Invite
        {
            Id = Guid.NewGuid(),
            TokenHash = Registrations.HashInviteToken(token),
            Email = string.IsNullOrWhiteSpace(email) ? null : email.Trim(),
            Role = role,
            CreatedById = createdById,
            CreatedAt = now,
            ExpiresAt = now + options.Value.InviteLifetime,
        };
        db.Invites.Add(invite);
        return (invite, token);
    }

}
