using Aigc.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Portal.Features.Admin;

public sealed record UserListItem(
    string Id, string Email, string DisplayName, DateTime CreatedAt, DateTime? ApprovedAt,
    DateTimeOffset? LockoutEnd, IReadOnlyList<string> Roles)
{
    public bool IsPending => ApprovedAt is null;

    public bool IsLocked => LockoutEnd is { } end && end > DateTimeOffset.UtcNow;
}

public sealed record UserPage(IReadOnlyList<UserListItem> Items, string Query, int Page, int PageSize, int Total)
{
    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);
}

public static class UserQueries
{
    public const int PageSize = 20;

    /// <summary>Pending accounts first, then newest; search matches email or name.</summary>
    public static async Task<UserPage> SearchAsync(PortalDbContext db, string? query, int page, CancellationToken cancellationToken)
    {
        var q = (query ?? "").Trim();
        var users = db.Users.AsNoTracking();
        if (q.Length > 0)
        {
            var pattern = $"%{q.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_")}%";
            users = users.Where(u => EF.Functions.Like(u.Email!, pattern, "\\") || EF.Functions.Like(u.DisplayName!, pattern, "\\"));
        }

        var total = await users.CountAsync(cancellationToken);
        var pageCount = Math.Max(1, (total + PageSize - 1) / PageSize);
        page = Math.Clamp(page, 1, pageCount);
        var rows = await users
            .OrderBy(u => u.ApprovedAt != null).ThenByDescending(u => u.CreatedAt).ThenBy(u => u.Id)
            .Skip((page - 1) * PageSize).Take(PageSize)
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.CreatedAt, u.ApprovedAt, u.LockoutEnd })
            .ToListAsync(cancellationToken);

        var roles = await RolesOfAsync(db, rows.Select(r => r.Id).ToList(), cancellationToken);
        var items = rows.Select(r => new UserListItem(r.Id, r.Email ?? "", r.DisplayName ?? "", r.CreatedAt, r.ApprovedAt, r.LockoutEnd,
            roles.TryGetValue(r.Id, out var rs) ? rs : [])).ToList();
        return new UserPage(items, q, page, PageSize, total);
    }

    public static async Task<UserListItem?> FindAsync(PortalDbContext db, string id, CancellationToken cancellationToken)
    {
        var u = await db.Users.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, cancellationToken);
        if (u is null)
        {
            return null;
        }

        var roles = await RolesOfAsync(db, [id], cancellationToken);
        return new UserListItem(u.Id, u.Email ?? "", u.DisplayName ?? "", u.CreatedAt, u.ApprovedAt, u.LockoutEnd,
            roles.TryGetValue(id, out var rs) ? rs : []);
    }

    private static async Task<Dictionary<string, List<string>>> RolesOfAsync(PortalDbContext db, List<string> userIds, CancellationToken cancellationToken)
    {
        var pairs = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where userIds.Contains(ur.UserId)
                           select new { ur.UserId, r.Name }).ToListAsync(cancellationToken);
        return pairs.GroupBy(p => p.UserId).ToDictionary(g => g.Key, g => g.Select(p => p.Name!).Order().ToList());
    }
}
