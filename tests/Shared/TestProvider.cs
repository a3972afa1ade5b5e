using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Aigc.Platform.Data;
using Npgsql;

namespace Aigc.Testing;

/// <summary>
/// Which database the database-facing tests run on (decision 0016). SQLite unless AIGC_TEST_PROVIDER=Postgres; then
/// AIGC_TEST_POSTGRES names a server (./build.sh test starts a private one and runs those tests once per provider),
/// where each data directory gets a database of its own, dropped with its folder.
/// </summary>
internal static class TestProvider
{
    public const string ServerVariable = "AIGC_TEST_POSTGRES";
    public const string ProviderVariable = "AIGC_TEST_PROVIDER";

    private static readonly ConcurrentDictionary<string, string> Databases = new();

    /// <summary>A server's connection string, or null when none is configured.</summary>
    public static string? PostgresServer => Environment.GetEnvironmentVariable(ServerVariable) is { Length: > 0 } server ? server : null;

    public static bool IsPostgres
    {
        get
        {
            var provider = Environment.GetEnvironmentVariable(ProviderVariable);
            if (!string.Equals(provider, DatabaseOptions.Postgres, StringComparison.OrdinalIgnoreCase))
                return false;
            return PostgresServer is not null
                ? true
                : throw new InvalidOperationException($"{ProviderVariable}=Postgres needs {ServerVariable} (a PostgreSQL connection string).");
        }
    }

    /// <summary>The settings that point a host whose data live in <paramref name="dataDirectory"/> at its database.</summary>
    public static Dictionary<string, string?> Settings(string dataDirectory) => IsPostgres
        ? new()
        {
            ["Database:Provider"] = DatabaseOptions.Postgres,
            ["Database:ConnectionString"] = PostgresDatabaseFor(dataDirectory),
        }
        : new()
        {
            ["Database:ConnectionString"] = $"Data Source={Path.Combine(dataDirectory, "aigc.db")};Pooling=False;Default Timeout=60",
        };

    /// <summary>The connection string of the database that belongs to <paramref name="key"/> (a path), created on first use.</summary>
    public static string PostgresDatabaseFor(string key) => Databases.GetOrAdd(Path.GetFullPath(key), path =>
    {
        var name = "aigc_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(path)))[..20];
        using (var admin = new NpgsqlConnection(PostgresServer))
        {
            admin.Open();
            using var create = admin.CreateCommand();
            create.CommandText = $"CREATE DATABASE \"{name}\"";
            create.ExecuteNonQuery();
        }

        return new NpgsqlConnectionStringBuilder(PostgresServer) { Database = name }.ConnectionString;
    });

    /// <summary>Drops the databases of every key under <paramref name="folder"/>.</summary>
    public static void DropUnder(string folder)
    {
        var prefix = Path.GetFullPath(folder);
        var mine = Databases.Keys.Where(k => k == prefix || k.StartsWith(prefix + Path.DirectorySeparatorChar, StringComparison.Ordinal)).ToList();
        if (mine.Count == 0)
            return;
        NpgsqlConnection.ClearAllPools();
        using var admin = new NpgsqlConnection(PostgresServer);
        admin.Open();
        foreach (var key in mine)
        {
            if (!Databases.TryRemove(key, out var connection))
                continue;
            using var drop = admin.CreateCommand();
            drop.CommandText = $"DROP DATABASE IF EXISTS \"{new NpgsqlConnectionStringBuilder(connection).Database}\" WITH (FORCE)";
            drop.ExecuteNonQuery();
        }
    }
}

/// <summary>A test that needs a PostgreSQL server; skipped, saying why, when AIGC_TEST_POSTGRES is not set.</summary>
internal sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (TestProvider.PostgresServer is null)
            Skip = $"{TestProvider.ServerVariable} is not set (./build.sh test starts a private PostgreSQL and sets it).";
    }
}

/// <summary>
/// A test of the PostgreSQL layout itself (several processes on one database), run once: in the PostgreSQL pass
/// (AIGC_TEST_PROVIDER=Postgres), skipped in the SQLite pass, saying why.
/// </summary>
internal sealed class PostgresPassFactAttribute : FactAttribute
{
    public PostgresPassFactAttribute()
    {
        if (!TestProvider.IsPostgres)
            Skip = $"runs in the PostgreSQL pass ({TestProvider.ProviderVariable}=Postgres; ./build.sh test runs it).";
    }
}
