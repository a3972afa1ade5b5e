using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Aigc.Platform.Tests;

/// <summary>Keeps every log entry (level, category, message, exception) of the services it is added to.</summary>
public sealed class LogRecorder : ILoggerProvider
{
    public ConcurrentQueue<LogRecord> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Recorder(LogRecorder owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Entries.Enqueue(new LogRecord(logLevel, category, formatter(state, exception), exception));
    }
}

public sealed record LogRecord(LogLevel Level, string Category, string Message, Exception? Exception);
