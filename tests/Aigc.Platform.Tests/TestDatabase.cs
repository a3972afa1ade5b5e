using Aigc.Platform.Data;
using Aigc.Testing;
using Microsoft.Data.Sqlite;

namespace Aigc.Platform.Tests;

/// <summary>
/// A real database of the provider under test (<see cref="TestProvider"/>) for a fresh temporary folder: SQLite files
/// in the folder, or PostgreSQL databases named after it; all deleted afterwards.
/// </summary>
public sealed class TestDatabase : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("aigc-platform-").FullName;

    public string ConnectionString(string name = "test.db") => TestProvider.IsPostgres
        ? TestProvider.PostgresDatabaseFor(Path.Combine(Folder, name))
        : $"Data Source={Path.Combine(Folder, name)};Pooling=False";

    public PortalDbContext Open(string name = "test.db") => TestProvider.IsPostgres
        ? PostgresPortalDbContext.Open(ConnectionString(name))
        : SqlitePortalDbContext.Open(ConnectionString(name));

    /// <summary>A SQLite database in this folder whatever the provider under test (for SQLite's own migrations).</summary>
    public SqlitePortalDbContext OpenSqlite(string name = "test.db") => SqlitePortalDbContext.Open(SqliteConnectionString(name));

    public string SqliteConnectionString(string name = "test.db") => $"Data Source={Path.Combine(Folder, name)};Pooling=False";

    public void Dispose()
    {
        if (TestProvider.PostgresServer is not null)
            TestProvider.DropUnder(Folder);
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }
}
