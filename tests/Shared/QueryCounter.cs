using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Aigc.Testing;

/// <summary>
/// Counts the SQL commands EF Core executes whose text names a table or matches a test (or the transactions it
/// commits), from EF's own log. Linked into the Platform and Portal tests.
/// </summary>
public sealed class QueryCounter : ILoggerProvider
{
    private readonly string _category;
    private readonly Func<EventId, string, bool> _counts;
    private int _count;

    public QueryCounter(string table)
        : this(text => text.Contains($"\"{table}\"", StringComparison.Ordinal))
    {
    }

    /// <summary>Counts executed commands whose logged text (SQL and parameters) passes <paramref name="matches"/>.</summary>
    public QueryCounter(Func<string, bool> matches)
        : this(DbLoggerCategory.Database.Command.Name, (id, text) => id.Id == RelationalEventId.CommandExecuted.Id && matches(text))
    {
    }

    private QueryCounter(string category, Func<EventId, string, bool> counts)
    {
        _category = category;
        _counts = counts;
    }

    /// <summary>Counts committed transactions; EF logs them at Debug, so the host's logging must let those through.</summary>
    public static QueryCounter Commits() => new(DbLoggerCategory.Database.Transaction.Name, (id, _) => id.Id == RelationalEventId.TransactionCommitted.Id);

    public int Count => Volatile.Read(ref _count);

    public void Reset() => Interlocked.Exchange(ref _count, 0);

    public ILogger CreateLogger(string categoryName) =>
        categoryName == _category ? new Logger(this) : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public void Dispose()
    {
    }

    private sealed class Logger(QueryCounter counter) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (counter._counts(eventId, formatter(state, exception)))
                Interlocked.Increment(ref counter._count);
        }
    }
}
