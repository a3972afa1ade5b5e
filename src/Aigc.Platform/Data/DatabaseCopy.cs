using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Aigc.Platform.Data;

/// <summary>
/// Copies every row of one installation's database into another, empty one of either provider (`aigc db copy`):
/// users and roles, jobs and blueprints, collections, campaigns, models, audit, keys, workers, every table of the
/// model, principals before the rows that point at them. Each table is then verified by its row count and a SHA-256
/// over its rows in key order, read back through each side's own provider. Date-times are compared at PostgreSQL's
/// microsecond precision, the finest both providers keep. SQLite's gallery search rows (decision 0013) are not in the
/// model: a SQLite target rebuilds them through its triggers, a PostgreSQL one does not need them.
/// </summary>
public static class DatabaseCopy
{
    private const int ChunkRows = 1000;

    public sealed record TableResult(string Table, long Rows, string Sha256);

    /// <summary>Migrates the target, refuses one that holds rows, copies, then verifies; throws on any mismatch.</summary>
    public static async Task<IReadOnlyList<TableResult>> CopyAsync(PortalDbContext source, PortalDbContext target, CancellationToken cancellationToken = default)
    {
        await target.Database.MigrateAsync(cancellationToken);
        var tables = InDependencyOrder(source.Model);
        foreach (var table in tables)
        {
            if (await Invoke<Task<bool>>(nameof(AnyAsync), table, target, cancellationToken))
                throw new InvalidOperationException($"The target database is not empty ({table.GetTableName()} has rows): copy only into a new database.");
        }

        foreach (var table in tables)
            await Invoke<Task>(nameof(CopyTableAsync), table, source, target, cancellationToken);
        if (target.Database.IsNpgsql())
            await RestartIdentitiesAsync(target, cancellationToken);

        var results = new List<TableResult>();
        foreach (var table in tables)
        {
            var expected = await Invoke<Task<TableResult>>(nameof(DigestAsync), table, source, cancellationToken);
            var actual = await Invoke<Task<TableResult>>(nameof(DigestAsync), table, target, cancellationToken);
            if (expected != actual)
            {
                throw new InvalidOperationException(
                    $"{expected.Table}: the copy differs ({expected.Rows} rows, {expected.Sha256[..12]} in the source; {actual.Rows} rows, {actual.Sha256[..12]} in the target).");
            }

            results.Add(expected);
        }

        return results;
    }

    /// <summary>Entity types with tables of their own, each after the types its foreign keys point at.</summary>
    private static List<IEntityType> InDependencyOrder(IModel model)
    {
        var types = model.GetEntityTypes().Where(t => !t.IsOwned() && t.FindPrimaryKey() is not null && t.GetTableName() is not null)
            .OrderBy(t => t.GetTableName(), StringComparer.Ordinal).ToList();
        var ordered = new List<IEntityType>();
        var placed = new HashSet<IEntityType>();
        void Place(IEntityType type, HashSet<IEntityType> visiting)
        {
            if (placed.Contains(type) || !visiting.Add(type))
                return;
            foreach (var principal in type.GetForeignKeys().Select(f => f.PrincipalEntityType).Where(p => p != type))
                Place(principal, visiting);
            placed.Add(type);
            ordered.Add(type);
        }

        foreach (var type in types)
            Place(type, []);
        return ordered;
    }

    private static T Invoke<T>(string method, IEntityType table, params object[] arguments) =>
        (T)typeof(DatabaseCopy).GetMethod(method, BindingFlags.NonPublic | BindingFlags.Static)!
            .MakeGenericMethod(table.ClrType).Invoke(null, arguments)!;

    private static Task<bool> AnyAsync<T>(PortalDbContext db, CancellationToken cancellationToken) where T : class =>
        db.Set<T>().AnyAsync(cancellationToken);

    private static async Task CopyTableAsync<T>(PortalDbContext source, PortalDbContext target, CancellationToken cancellationToken) where T : class
    {
        var chunk = new List<T>(ChunkRows);
        await foreach (var row in source.Set<T>().AsNoTracking().AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            chunk.Add(row);
            if (chunk.Count == ChunkRows)
                await SaveAsync(target, chunk, cancellationToken);
        }

        await SaveAsync(target, chunk, cancellationToken);
    }

    private static async Task SaveAsync<T>(PortalDbContext target, List<T> rows, CancellationToken cancellationToken) where T : class
    {
        if (rows.Count == 0)
            return;
        target.Set<T>().AddRange(rows);
        await target.SaveChangesAsync(cancellationToken);
        target.ChangeTracker.Clear();
        rows.Clear();
    }

    /// <summary>
    /// Row count and a SHA-256 over the rows, each property by name in invariant text, the rows in ordinal order of
    /// that text (not the database's order: collations differ between providers and installations).
    /// </summary>
    private static async Task<TableResult> DigestAsync<T>(PortalDbContext db, CancellationToken cancellationToken) where T : class
    {
        var type = db.Model.FindEntityType(typeof(T))!;
        var properties = type.GetProperties().Where(p => p.PropertyInfo is not null).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        var lines = new List<string>();
        await foreach (var row in db.Set<T>().AsNoTracking().AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            var line = new StringBuilder();
            foreach (var property in properties)
                line.Append(property.Name).Append('=').Append(Text(property.PropertyInfo!.GetValue(row))).Append('\u001f');
            lines.Add(line.ToString());
        }

        lines.Sort(StringComparer.Ordinal);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var line in lines)
            hash.AppendData(Encoding.UTF8.GetBytes(line + "\u001e"));
        return new TableResult(type.GetTableName()!, lines.Count, Convert.ToHexStringLower(hash.GetHashAndReset()));
    }

    private static string Text(object? value) => value switch
    {
        null => "\u0000",
        DateTime t => (t.ToUniversalTime().Ticks / 10).ToString(CultureInfo.InvariantCulture),
        DateTimeOffset t => (t.UtcTicks / 10).ToString(CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Rows were copied with their ids: identity columns continue after the largest one.</summary>
    private static async Task RestartIdentitiesAsync(PortalDbContext target, CancellationToken cancellationToken)
    {
        var identities = await target.Database.SqlQuery<IdentityColumn>(
            $"""
            SELECT table_name AS "Table", column_name AS "Column" FROM information_schema.columns
            WHERE table_schema = current_schema() AND is_identity = 'YES'
            """).ToListAsync(cancellationToken);
        foreach (var identity in identities)
        {
            // Names from information_schema, quoted; the values are parameters.
            var sql = "SELECT setval(pg_get_serial_sequence({0}, {1}), coalesce((SELECT max(" + Quote(identity.Column) + ") FROM "
                + Quote(identity.Table) + "), 0) + 1, false)";
            await target.Database.ExecuteSqlRawAsync(sql, [Quote(identity.Table), identity.Column], cancellationToken);
        }
    }

    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";

    private sealed class IdentityColumn
    {
        public required string Table { get; init; }

        public required string Column { get; init; }
    }
}
