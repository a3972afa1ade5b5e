using System.Security.Claims;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Audit;

public sealed record AuditPage(IReadOnlyList<AuditEntry> Items, int Total);

/// <summary>The audit log for admins, newest first, searchable by who, what or target.</summary>
public sealed class AuditQueries(IDbContextFactory<PortalDbContext> contexts)
{
    public async Task<AuditPage> PageAsync(ClaimsPrincipal reader, string? query, int page, int pageSize,
        CancellationToken cancellationToken = default)
    {
        PortalRoles.DemandAdmin(reader, "read the audit log");

        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var entries = db.AuditEntries.AsNoTracking();
        var q = (query ?? "").Trim();
        if (q.Length > 0)
        {
            var pattern = LikePattern.Containing(q);
            entries = entries.Where(e => EF.Functions.Like(e.ActorName!, pattern, LikePattern.Escape)
                                         || EF.Functions.Like(e.Action, pattern, LikePattern.Escape)
                                         || EF.Functions.Like(e.TargetName!, pattern, LikePattern.Escape));
        }

        var size = Math.Clamp(pageSize, 1, 200);
        var total = await entries.CountAsync(cancellationToken);
        var items = await entries.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip(Math.Max(0, page) * size).Take(size).ToListAsync(cancellationToken);
        return new AuditPage(items, total);
    }
}
