using System.Text.Json;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Tests;

public sealed class UtcDateTimeTests : IDisposable
{
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task Dates_read_back_from_sqlite_are_marked_utc_in_entities_and_projections()
    {
        var created = new DateTime(2026, 12, 4, 19, 30, 15, 250, DateTimeKind.Utc);
        var id = Guid.NewGuid();
        await using (var db = _database.Open())
        {
            await db.Database.MigrateAsync();
            db.Invites.Add(new Invite
            {
                Id = id, TokenHash = "hash", Role = PortalRoles.Designer, CreatedById = "admin",
                CreatedAt = created, ExpiresAt = created.AddDays(7), UsedAt = created.AddHours(1),
            });
            db.Invites.Add(new Invite { Id = Guid.NewGuid(), TokenHash = "other", Role = PortalRoles.Designer, CreatedById = "admin", CreatedAt = created.AddDays(1) });
            await db.SaveChangesAsync();
        }

        await using (var db = _database.Open())
        {
            var invite = await db.Invites.AsNoTracking().SingleAsync(i => i.Id == id);
            Assert.Equal(DateTimeKind.Utc, invite.CreatedAt.Kind);
            Assert.Equal(created, invite.CreatedAt);
            Assert.Equal(DateTimeKind.Utc, invite.UsedAt!.Value.Kind);
            Assert.Equal("\"2026-12-04T19:30:15.25Z\"", JsonSerializer.Serialize(invite.CreatedAt));

            // Parameters compared with a converted column still translate to SQL, and projected values are marked too.
            var used = await db.Invites.Where(i => i.CreatedAt < created.AddSeconds(1)).Select(i => new { i.UsedAt, i.ExpiresAt }).SingleAsync();
            Assert.Equal(DateTimeKind.Utc, used.UsedAt!.Value.Kind);
            Assert.Equal(DateTimeKind.Utc, used.ExpiresAt.Kind);
            Assert.Equal(created.AddDays(7), used.ExpiresAt);
            Assert.Null(await db.Invites.Where(i => i.TokenHash == "other").Select(i => i.UsedAt).SingleAsync());
        }
    }
}
