using Aigc.Platform.Data;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Aigc.LoadTest;

/// <summary>
/// The database of the portal under load, as this tool and the processes it starts reach it: the SQLite file in the
/// data directory (the default), or a database of its own on a PostgreSQL server (--postgres), made for the run
/// when the tool starts the portal and dropped after it.
/// </summary>
public sealed class LoadDatabase
{
    private readonly string? _server;

    private LoadDatabase(string connectionString, string? server)
    {
        ConnectionString = connectionString;
        _server = server;
    }

    public string ConnectionString { get; }

    public bool IsPostgres => _server is not null;

    public string Name => IsPostgres ? "PostgreSQL" : "SQLite";

    /// <summary>
    /// The configuration keys that point a portal or worker at this database. SQLite: none, the portal's default
    /// (aigc.db in the data directory, pooled connections); this tool's own string turns pooling off so as not to hold
    /// the file, which in the portal would open and parse the schema again for every unit of work.
    /// </summary>
    public Dictionary<string, string> Settings => IsPostgres
        ? new() { ["Database:Provider"] = DatabaseOptions.Postgres, ["Database:ConnectionString"] = ConnectionString }
        : [];

    /// <summary>`aigc worker --database`: the server's string, or the SQLite file (the worker pools its connections).</summary>
    public string WorkerArgument => IsPostgres ? ConnectionString : new SqliteConnectionStringBuilder(ConnectionString).DataSource;

    public static LoadDatabase Sqlite(string dataDirectory) =>
        new($"Data Source={Path.Combine(dataDirectory, "aigc.db")};Pooling=False;Default Timeout=60", null);

    /// <summary>The server's own database (a running portal's), as given.</summary>
    public static LoadDatabase Existing(string connectionString) => new(connectionString, connectionString);

    /// <summary>A new, empty database on the server, for a portal this tool starts.</summary>
    public static async Task<LoadDatabase> CreateAsync(string server)
    {
        var name = $"aigc_load_{Guid.NewGuid():N}"[..24];
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = admin.CreateCommand();
            create.CommandText = $"CREATE DATABASE \"{name}\"";
            await create.ExecuteNonQueryAsync();
        }

        return new LoadDatabase(new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString, server);
    }

    public PortalDbContext Open() => IsPostgres
        ? PostgresPortalDbContext.Open(ConnectionString)
        : SqlitePortalDbContext.Open(ConnectionString);

    public static void ClearPools()
    {
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Drops a database made by <see cref="CreateAsync"/>.</summary>
    public async Task DropAsync()
    {
        if (_server is null || _server == ConnectionString)
            return;
        ClearPools();
        await using var admin = new NpgsqlConnection(_server);
        await admin.OpenAsync();
        await using var drop = admin.CreateCommand();
        drop.CommandText = $"DROP DATABASE IF EXISTS \"{new NpgsqlConnectionStringBuilder(ConnectionString).Database}\" WITH (FORCE)";
        await drop.ExecuteNonQueryAsync();
    }
}
