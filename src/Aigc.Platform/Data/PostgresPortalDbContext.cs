using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Aigc.Platform.Data;

/// <summary>The portal's data on PostgreSQL; its migrations are in Data/Migrations/Postgres.</summary>
public sealed class PostgresPortalDbContext(DbContextOptions<PostgresPortalDbContext> options) : PortalDbContext(options)
{
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseNpgsql(PostgresConnectionString.From(connectionString));

    public static PostgresPortalDbContext Open(string connectionString)
    {
        var builder = new DbContextOptionsBuilder<PostgresPortalDbContext>();
        Configure(builder, connectionString);
        return new PostgresPortalDbContext(builder.Options);
    }
}

/// <summary>For `dotnet ef`: adding a migration reads the model only, so no server is contacted.</summary>
public sealed class PostgresPortalDbContextDesignTimeFactory : IDesignTimeDbContextFactory<PostgresPortalDbContext>
{
    public PostgresPortalDbContext CreateDbContext(string[] args) => PostgresPortalDbContext.Open("Host=localhost;Database=aigc");
}
