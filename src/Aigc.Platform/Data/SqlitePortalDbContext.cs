using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Aigc.Platform.Data;

/// <summary>The portal's data on SQLite; its migrations are in Data/Migrations/Sqlite.</summary>
public sealed class SqlitePortalDbContext(DbContextOptions<SqlitePortalDbContext> options) : PortalDbContext(options)
{
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseSqlite(connectionString).AddInterceptors(new SqliteConnectionSettings());

    public static SqlitePortalDbContext Open(string connectionString)
    {
        var builder = new DbContextOptionsBuilder<SqlitePortalDbContext>();
        Configure(builder, connectionString);
        return new SqlitePortalDbContext(builder.Options);
    }
}

/// <summary>For `dotnet ef`: adding a migration reads the model only, so the file named here is never opened.</summary>
public sealed class SqlitePortalDbContextDesignTimeFactory : IDesignTimeDbContextFactory<SqlitePortalDbContext>
{
    public SqlitePortalDbContext CreateDbContext(string[] args) => SqlitePortalDbContext.Open("Data Source=design-time.db");
}
