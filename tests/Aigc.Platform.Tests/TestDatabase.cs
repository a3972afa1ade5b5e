using Aigc.Platform.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Tests;

/// <summary>A real SQLite file in a fresh temporary folder, deleted afterwards.</summary>
public sealed class TestDatabase : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("aigc-platform-").FullName;

    public string ConnectionString(string name = "test.db") => $"Data Source={Path.Combine(_folder, name)};Pooling=False";

    public PortalDbContext Open(string name = "test.db") =>
        new(new DbContextOptionsBuilder<PortalDbContext>().UseSqlite(ConnectionString(name)).Options);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
