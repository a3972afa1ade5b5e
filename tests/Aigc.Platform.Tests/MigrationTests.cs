using Aigc.Platform.Data;
using Aigc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace Aigc.Platform.Tests;

public sealed class MigrationTests : IDisposable
{
    private readonly TestDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public void Each_providers_migration_set_is_up_to_date_with_the_model()
    {
        // EF's own check (the model snapshot against the model): a model change without `dotnet ef migrations add`
        // for both providers fails here, and would stop Migrate() at start-up.
        using var sqlite = SqlitePortalDbContext.Open("Data Source=:memory:");
        using var postgres = PostgresPortalDbContext.Open("Host=localhost;Database=unused");
        Assert.False(sqlite.Database.HasPendingModelChanges(),
            "The model changed without a SQLite migration: dotnet ef migrations add NAME --project src/Aigc.Platform --context SqlitePortalDbContext --output-dir Data/Migrations/Sqlite");
        Assert.False(postgres.Database.HasPendingModelChanges(),
            "The model changed without a PostgreSQL migration: dotnet ef migrations add NAME --project src/Aigc.Platform --context PostgresPortalDbContext --output-dir Data/Migrations/Postgres");
        Assert.NotEmpty(postgres.Database.GetMigrations());
    }

    [PostgresFact]
    public async Task Postgres_migrations_create_exactly_the_schema_of_the_model()
    {
        var migrated = TestProvider.PostgresDatabaseFor(Path.Combine(_database.Folder, "migrated"));
        var created = TestProvider.PostgresDatabaseFor(Path.Combine(_database.Folder, "created"));
        await using (var db = PostgresPortalDbContext.Open(migrated))
        {
            await db.Database.MigrateAsync();
        }

        await using (var db = PostgresPortalDbContext.Open(created))
        {
            await db.Database.EnsureCreatedAsync();
        }

        var fromMigrations = await PostgresSchema.ReadAsync(migrated);
        var fromModel = await PostgresSchema.ReadAsync(created);
        Assert.Equal(fromModel, fromMigrations);
        Assert.Contains("column GenerationJobs.LeaseExpiresAt timestamp with time zone null=YES", fromModel);
    }

    [Fact]
    public async Task Hand_written_migrations_create_exactly_the_schema_of_the_model()
    {
        await using (var migrated = _database.OpenSqlite("migrated.db"))
        {
            await migrated.Database.MigrateAsync();
        }

        await using (var created = _database.OpenSqlite("created.db"))
        {
            await created.Database.EnsureCreatedAsync();
        }

        var fromMigrations = SqliteSchema.Read(_database.SqliteConnectionString("migrated.db"));
        var fromModel = SqliteSchema.Read(_database.SqliteConnectionString("created.db"));

        var missing = fromModel.Except(fromMigrations).ToList();
        var extra = fromMigrations.Except(fromModel).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            "The EF model and the migrations disagree. Write a migration for the model change.\n" +
            $"In the model but not the migrations:\n  {string.Join("\n  ", missing)}\n" +
            $"In the migrations but not the model:\n  {string.Join("\n  ", extra)}");
        Assert.Contains(fromModel, line => line.StartsWith("column AspNetUsers.ApprovedAt", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Upgrading_a_database_from_the_first_migration_keeps_its_rows()
    {
        var migrations = MigrationIds();
        Assert.True(migrations.Count >= 2, "expects at least two migrations to upgrade between");

        await using (var old = _database.OpenSqlite())
        {
            await old.GetService<IMigrator>().MigrateAsync(migrations[0]);
            await old.Database.ExecuteSqlRawAsync(
                """
                INSERT INTO AspNetUsers (Id, UserName, NormalizedUserName, Email, NormalizedEmail, EmailConfirmed,
                    PhoneNumberConfirmed, TwoFactorEnabled, LockoutEnabled, AccessFailedCount, DisplayName, CreatedAt, MustChangePassword)
                VALUES ('u1', 'ada@example.com', 'ADA@EXAMPLE.COM', 'ada@example.com', 'ADA@EXAMPLE.COM', 1, 0, 0, 1, 0,
                    'Ada', '2026-01-02 03:04:05', 0)
                """);
        }

        await using (var upgraded = _database.OpenSqlite())
        {
            Assert.Equal(migrations.Skip(1), await upgraded.Database.GetPendingMigrationsAsync());
            await upgraded.Database.MigrateAsync();
            Assert.Empty(await upgraded.Database.GetPendingMigrationsAsync());

            var ada = await upgraded.Users.SingleAsync();
            Assert.Equal(("u1", "ada@example.com", "Ada"), (ada.Id, ada.Email, ada.DisplayName));
            upgraded.AuditEntries.Add(new AuditEntry { At = DateTime.UtcNow, ActorName = "test", Action = "after-upgrade" });
            await upgraded.SaveChangesAsync();
            Assert.Equal(1, await upgraded.AuditEntries.CountAsync());
        }
    }

    [Fact]
    public async Task The_curation_migration_backfills_owner_model_and_preset_from_the_jobs()
    {
        await using (var old = _database.OpenSqlite())
        {
            await old.GetService<IMigrator>().MigrateAsync("20261122000001_GenerationQueue");
            await old.Database.ExecuteSqlRawAsync(
                """
                INSERT INTO GenerationJobs (Id, UserId, ModelSha256, ConditionsJson, Count, Seed, Preset, Priority, Status, ImagesDone, CreatedAt, Attempts)
                VALUES ('8E2C5C9C-0000-0000-0000-000000000001', 'u1', 'abc', '{{"part":"bolt","view":"top"}}', 1, 7, 'crisp', 0, 'Completed', 1, '2026-01-02 03:04:05', 1);
                INSERT INTO Blueprints (Id, JobId, "Index", Seed, ConditionsJson, FileSha256, ContentType, Width, Height, FileBytes, CreatedAt)
                VALUES ('8E2C5C9C-0000-0000-0000-0000000000B1', '8E2C5C9C-0000-0000-0000-000000000001', 0, 7, '{{"part":"bolt","view":"top"}}', 'f', 'image/png', 64, 64, 1, '2026-01-02 03:04:05');
                """);
        }

        await using var upgraded = _database.OpenSqlite();
        await upgraded.Database.MigrateAsync();
        var blueprint = await upgraded.Blueprints.SingleAsync();
        Assert.Equal(("u1", "abc", "crisp", (DateTime?)null), (blueprint.OwnerId, blueprint.ModelSha256, blueprint.Preset, blueprint.DeletedAt));
    }

    private List<string> MigrationIds()
    {
        using var db = _database.OpenSqlite();
        return db.Database.GetMigrations().ToList();
    }

    /// <summary>The schema of a PostgreSQL database as comparable lines: columns, indexes and constraints.</summary>
    private static class PostgresSchema
    {
        public static async Task<List<string>> ReadAsync(string connectionString)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            var lines = new List<string>();
            await Read(connection, lines,
                """
                SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type
                    || coalesce('(' || character_maximum_length || ')', '') || ' null=' || is_nullable
                FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> '__EFMigrationsHistory'
                """);
            await Read(connection, lines, "SELECT 'index ' || indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> '__EFMigrationsHistory'");
            await Read(connection, lines,
                """
                SELECT 'constraint ' || t.relname || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid)
                FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
                WHERE c.connamespace = 'public'::regnamespace AND t.relname <> '__EFMigrationsHistory'
                """);
            lines.Sort(StringComparer.Ordinal);
            return lines;
        }

        private static async Task Read(NpgsqlConnection connection, List<string> lines, string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
                lines.Add(reader.GetString(0));
        }
    }

    /// <summary>The schema of a SQLite file as comparable lines: columns, keys, indexes and foreign keys.</summary>
    private static class SqliteSchema
    {
        public static SortedSet<string> Read(string connectionString)
        {
            var lines = new SortedSet<string>(StringComparer.Ordinal);
            using var connection = new SqliteConnection(connectionString);
            connection.Open();
            // The gallery's text search (BlueprintSearchText, the FTS5 table BlueprintSearch and its shadow tables) is not
            // part of the EF model: migration M0009 creates it with the triggers that fill it, and only raw SQL reads it.
            // GallerySearchTests check it instead.
            var tables = Query(connection,
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__EFMigrations%' AND name NOT LIKE 'BlueprintSearch%'")
                .Select(r => r[0]).ToList();
            foreach (var table in tables)
            {
                lines.Add($"table {table}");
                foreach (var c in Query(connection, $"PRAGMA table_info(\"{table}\")"))
                {
                    lines.Add($"column {table}.{c[1]} type={c[2]} notnull={c[3]} pk={c[5]}");
                }

                foreach (var i in Query(connection, $"PRAGMA index_list(\"{table}\")").Where(i => !i[1].StartsWith("sqlite_autoindex", StringComparison.Ordinal)))
                {
                    var columns = string.Join(",", Query(connection, $"PRAGMA index_info(\"{i[1]}\")").Select(c => c[2]));
                    lines.Add($"index {table}.{i[1]} unique={i[2]} columns={columns}");
                }

                foreach (var f in Query(connection, $"PRAGMA foreign_key_list(\"{table}\")"))
                {
                    lines.Add($"fk {table}.{f[3]} -> {f[2]}.{f[4]} on_delete={f[6]}");
                }
            }

            return lines;
        }

        private static List<string[]> Query(SqliteConnection connection, string sql)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            using var reader = command.ExecuteReader();
            var rows = new List<string[]>();
            while (reader.Read())
            {
                rows.Add(Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i))!).ToArray());
            }

            return rows;
        }
    }
}
