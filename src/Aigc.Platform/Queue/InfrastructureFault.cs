using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Aigc.Platform.Queue;

/// <summary>
/// Tells a fault of the machine (storage, the database) from a failure of the job itself (decision 0019): the first
/// is retried with backoff and spends none of the job's attempts, the second spends one.
/// </summary>
public static class InfrastructureFault
{
    // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN: the database, not the statement.
    private static readonly int[] TransientSqliteErrors = [5, 6, 10, 13, 14];

    /// <summary>Whether the error, or one it wraps, is an I/O, permission or transient database error.</summary>
    public static bool IsTransient(Exception error) => Cause(error) is not null;

    /// <summary>The outermost transient error in the chain (the first that names the real cause), or null.</summary>
    public static Exception? Cause(Exception error) => error switch
    {
        OperationCanceledException => null,
        IOException or UnauthorizedAccessException => error,
        SqliteException sqlite => TransientSqliteErrors.Contains(sqlite.SqliteErrorCode) ? error : null,
        DbException { IsTransient: true } => error,
        AggregateException aggregate => aggregate.InnerExceptions.Select(Cause).FirstOrDefault(e => e is not null),
        _ => error.InnerException is { } inner ? Cause(inner) : null,
    };

    /// <summary>The cause in words for a job's error: its message, and the system's words when they differ.</summary>
    public static string Describe(Exception error)
    {
        var cause = Cause(error) ?? error;
        return cause.InnerException is { } system && system.Message != cause.Message
            ? $"{cause.Message} ({system.Message})"
            : cause.Message;
    }
}
