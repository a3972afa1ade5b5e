using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Aigc.Platform.Data;

/// <summary>The portal's data on PostgreSQL; its migrations are in Data/Migrations/Postgres.</summary>
public sealed class PostgresPortalDbContext(DbContextOptions<PostgresPortalDbContext> options) : PortalDbContext(options)
{
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, string connectionString) =>
        builder.UseNpgsql(PostgresConnectionString.From(connectionString));

    /// <summary>
    /// PostgreSQL's own part of the model: trigram GIN indexes (pg_trgm, shipped in Debian's postgresql package)
    /// under the gallery's text search, so that ILIKE '%text%' over notes and tags reads an index instead of every
    /// row (decision 0022). SQLite keeps its FTS5 trigram table (decision 0013).
    /// </summary>
    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasPostgresExtension("pg_trgm");
        builder.Entity<Blueprint>().HasIndex(b => b.Note, "IX_Blueprints_Note_Trigram")
            .HasMethod("gin").HasOperators("gin_trgm_ops");
        builder.Entity<BlueprintTag>().HasIndex(t => t.Tag, "IX_BlueprintTags_Tag_Trigram")
            .HasMethod("gin").HasOperators("gin_trgm_ops");
    }

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
