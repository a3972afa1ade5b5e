using Aigc.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Accounts;

public sealed record UserListItem(
    string Id, string Email, string DisplayName, DateTime CreatedAt, DateTime? ApprovedAt,
    DateTimeOffset? LockoutEnd, IReadOnlyList<string> Roles)
{
    public bool IsPending => ApprovedAt is null;

    public bool IsLocked => LockoutEnd is { } end && end > DateTimeOffset.UtcNow;
}

public enum UserSort
{
    /// <summary>Waiting for approval first, then newest.</summary>
    Pending,
    Email,
    Name,
    Created,
}

/// <summary>One page of the user list: the search, its order, which page (from 0) and its size.</summary>
public sealed record UserSearch(string? Query, UserSort Sort = UserSort.Pending, bool Descending = false,
    int Page = 0, int PageSize = 20);

public sealed record UserPage(IReadOnlyList<UserListItem> Items, int Total);

/// <summary>The admins' list of accounts. Short units of work: the page that asks lives over a circuit.</summary>
public sealed class UserDirectory(IDbContextFactory<PortalDbContext> contexts)
{
    public const int MaxPageSize = 100;

    public async Task<UserPage> SearchAsync(UserSearch search, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var users = db.Users.AsNoTracking();
        var q = (search.Query ?? "").Trim();
        if (q.Length > 0)
        {
            var pattern = LikePattern.Containing(q);
            users = users.Where(u => EF.Functions.Like(u.Email!, pattern, LikePattern.Escape)
                                     || EF.Functions.Like(u.DisplayName!, pattern, LikePattern.Escape));
        }

        var total = await users.CountAsync(cancellationToken);
        var size = Math.Clamp(search.PageSize, 1, MaxPageSize);
        var rows = await Order(users, search.Sort, search.Descending)
            .Skip(Math.Max(0, search.Page) * size).Take(size)
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.CreatedAt, u.ApprovedAt, u.LockoutEnd })
            .ToListAsync(cancellationToken);

        var roles = await RolesOfAsync(db, rows.Select(r => r.Id).ToList(), cancellationToken);
        var items = rows.Select(r => new UserListItem(r.Id, r.Email ?? "", r.DisplayName ?? "", r.CreatedAt,
            r.ApprovedAt, r.LockoutEnd, roles.TryGetValue(r.Id, out var rs) ? rs : [])).ToList();
        return new UserPage(items, total);
    }

    public async Task<UserListItem?> FindAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var u = await db.Users.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, cancellationToken);
        if (u is null)
        {
            return null;
        }

        var roles = await RolesOfAsync(db, [id], cancellationToken);
        return new UserListItem(u.Id, u.Email ?? "", u.DisplayName ?? "", u.CreatedAt, u.ApprovedAt, u.LockoutEnd,
            roles.TryGetValue(id, out var rs) ? rs : []);
    }

    private static IQueryable<PortalUser> Order(IQueryable<PortalUser> users, UserSort sort, bool descending) =>
        (sort, descending) switch
        {
            (UserSort.Email, false) => users.OrderBy(u => u.Email).ThenBy(u => u.Id),
            (UserSort.Email, true) => users.OrderByDescending(u => u.Email).ThenBy(u => u.Id),
            (UserSort.Name, false) => users.OrderBy(u => u.DisplayName).ThenBy(u => u.Id),
            (UserSort.Name, true) => users.OrderByDescending(u => u.DisplayName).ThenBy(u => u.Id),
            (UserSort.Created, false) => users.OrderBy(u => u.CreatedAt).ThenBy(u => u.Id),
            (UserSort.Created, true) => users.OrderByDescending(u => u.CreatedAt).ThenBy(u => u.Id),
            _ => users.OrderBy(u => u.ApprovedAt != null).ThenByDescending(u => u.CreatedAt).ThenBy(u => u.Id),
        };

    private static async Task<Dictionary<string, List<string>>> RolesOfAsync(PortalDbContext db, List<string> userIds,
        CancellationToken cancellationToken)
    {
        var pairs = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where userIds.Contains(ur.UserId)
                           select new { ur.UserId, r.Name }).ToListAsync(cancellationToken);
        return pairs.GroupBy(p => p.UserId).ToDictionary(g => g.Key, g => g.Select(p => p.Name!).Order().ToList());
    }
}
