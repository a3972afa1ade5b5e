using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Aigc.Platform.Audit;
using Aigc.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Platform.Accounts;

/// <summary>A new invite and its token: the token is shown once; only its hash is stored.</summary>
public sealed record CreatedInvite(Invite Invite, string Token);

/// <summary>
/// Single-use registration links. Admins create and list them; registration finds a usable one by its token and
/// spends it. Short units of work: the admin page that asks lives over a circuit.
/// </summary>
public sealed class Invitations(IDbContextFactory<PortalDbContext> contexts, IServiceScopeFactory scopes,
    TimeProvider clock)
{
    public const int ListSize = 50;

    /// <summary>
    /// Creates an invite for <paramref name="role"/>, for one address if given, valid for <paramref name="lifetime"/>.
    /// </summary>
    public async Task<CreatedInvite> CreateAsync(ClaimsPrincipal admin, string role, string? email, TimeSpan lifetime,
        CancellationToken cancellationToken = default)
    {
        RequireAdmin(admin);
        if (!PortalRoles.All.Contains(role))
            throw new ArgumentException($"Unknown role {role}; roles are {string.Join(", ", PortalRoles.All)}.",
                nameof(role));
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
        var now = clock.GetUtcNow().UtcDateTime;
        var invite = new Invite
        {
            Id = Guid.NewGuid(),
            TokenHash = Registrations.HashInviteToken(token),
            Email = string.IsNullOrWhiteSpace(email) ? null : email.Trim(),
            Role = role,
            CreatedById = admin.FindFirstValue(ClaimTypes.NameIdentifier)
                          ?? throw new UnauthorizedAccessException("The admin has no user id."),
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        };
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        db.Invites.Add(invite);
        scope.ServiceProvider.GetRequiredService<AuditLog>()
            .Record(admin, "invite.create", invite.Id.ToString(), invite.Email, $"role={invite.Role}");
        await db.SaveChangesAsync(cancellationToken);
        return new CreatedInvite(invite, token);
    }

    /// <summary>The newest invites, used, expired and open alike.</summary>
    public async Task<IReadOnlyList<Invite>> RecentAsync(ClaimsPrincipal admin,
        CancellationToken cancellationToken = default)
    {
        RequireAdmin(admin);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Invites.AsNoTracking().OrderByDescending(i => i.CreatedAt).Take(ListSize)
            .ToListAsync(cancellationToken);
    }

    private static void RequireAdmin(ClaimsPrincipal admin) => PortalRoles.DemandAdmin(admin, "manage invites");
}
