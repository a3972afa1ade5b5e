using System.Security.Cryptography;
using System.Text;
using Aigc.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Aigc.Portal.Features.Account;

/// <summary>Single-use registration links. The token is shown once; only its hash is stored.</summary>
public sealed class InviteService(PortalDbContext db, IOptions<AccountsOptions> options, TimeProvider clock)
{
    public (Invite Invite, string Token) Create(string role, string? email, string createdById)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        var now = clock.GetUtcNow().UtcDateTime;
        var invite = new Invite
        {
            Id = Guid.NewGuid(),
            TokenHash = Hash(token),
            Email = string.IsNullOrWhiteSpace(email) ? null : email.Trim(),
            Role = role,
            CreatedById = createdById,
            CreatedAt = now,
            ExpiresAt = now + options.Value.InviteLifetime,
        };
        db.Invites.Add(invite);
        return (invite, token);
    }

    /// <summary>The invite if the token is known, unused and not expired; otherwise null.</summary>
    public async Task<Invite?> FindUsableAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100)
        {
            return null;
        }

        var hash = Hash(token);
        var now = clock.GetUtcNow().UtcDateTime;
        return await db.Invites.FirstOrDefaultAsync(i => i.TokenHash == hash && i.UsedAt == null && i.ExpiresAt > now, cancellationToken);
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
