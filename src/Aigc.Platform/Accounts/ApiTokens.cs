using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Aigc.Platform.Audit;
using Aigc.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Accounts;

/// <summary>
/// Personal API tokens: "aigc_PREFIX_SECRET", shown once at creation; only the SHA-256 of the whole token is kept.
/// Every check reads the database, so a revoke is in force as soon as it returns. Each call opens its own short unit
/// of work: the account page's circuit may hold this service for hours.
/// </summary>
public sealed class ApiTokens(IDbContextFactory<PortalDbContext> contexts, TimeProvider clock)
{
    public const string TokenStart = "aigc_";
    public const int MaxNameLength = 100;
    private const int PrefixLength = 8;
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>Creates a token for the acting user; the returned secret is the only copy.</summary>
    public async Task<(ApiToken Token, string Secret)> CreateAsync(ClaimsPrincipal actor, string name, DateTime? expiresAt, CancellationToken cancellationToken = default)
    {
        var userId = actor.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Tokens are created by a signed-in user.");
        name = name.Trim();
        if (name.Length is 0 or > MaxNameLength)
            throw new ArgumentException($"The token name must be 1 to {MaxNameLength} characters.", nameof(name));
        var now = clock.GetUtcNow().UtcDateTime;
        if (expiresAt <= now)
            throw new ArgumentException("The expiry must be in the future.", nameof(expiresAt));

        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(PrefixLength / 2));
        var secret = $"{TokenStart}{prefix}_{System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32))}";
        var token = new ApiToken
        {
            Id = Guid.NewGuid(),
            UserId = userId,
            Name = name,
            Prefix = prefix,
            SecretHash = Hash(secret),
            CreatedAt = now,
            ExpiresAt = expiresAt,
        };
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        db.ApiTokens.Add(token);
        new AuditLog(db, clock).Record(actor, "api-token.create", token.Id.ToString(), name, $"{TokenStart}{prefix}_…{(expiresAt is null ? "" : $", expires {expiresAt:u}")}");
        await db.SaveChangesAsync(cancellationToken);
        return (token, secret);
    }

    /// <summary>The user's tokens, newest first, revoked ones included.</summary>
    public async Task<List<ApiToken>> ListAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId).OrderByDescending(t => t.CreatedAt)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Revokes one of the acting user's tokens; false when there is no such live token of theirs.</summary>
    public async Task<bool> RevokeAsync(ClaimsPrincipal actor, Guid id, CancellationToken cancellationToken = default)
    {
        var userId = actor.FindFirstValue(ClaimTypes.NameIdentifier);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == id && t.UserId == userId && t.RevokedAt == null, cancellationToken);
        if (token is null)
            return false;
        token.RevokedAt = clock.GetUtcNow().UtcDateTime;
        new AuditLog(db, clock).Record(actor, "api-token.revoke", token.Id.ToString(), token.Name, $"{TokenStart}{token.Prefix}_…");
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>The live token a request presents (not revoked, not expired), or null; records its use.</summary>
    public async Task<ApiToken?> FindLiveAsync(string presented, CancellationToken cancellationToken = default)
    {
        if (!presented.StartsWith(TokenStart, StringComparison.Ordinal) || presented.Length > 200)
            return null;
        var hash = Hash(presented);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var token = await db.ApiTokens.AsNoTracking()
            .SingleOrDefaultAsync(t => t.SecretHash == hash && t.RevokedAt == null && (t.ExpiresAt == null || t.ExpiresAt > now), cancellationToken);
        if (token is not null && (token.LastUsedAt is null || now - token.LastUsedAt >= LastUsedResolution))
        {
            var stale = now - LastUsedResolution;
            await db.ApiTokens.Where(t => t.Id == token.Id && (t.LastUsedAt == null || t.LastUsedAt <= stale))
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedAt, now), cancellationToken);
        }

        return token;
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
