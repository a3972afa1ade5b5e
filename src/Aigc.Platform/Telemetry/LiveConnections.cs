namespace Aigc.Platform.Telemetry;

/// <summary>
/// Connections held open for live updates: progress streams (Server-Sent Events of the API and the Studio) and, once
/// the UI runs interactively, Blazor circuits (a CircuitHandler calls <see cref="CircuitOpened"/> and
/// <see cref="CircuitClosed"/>). The meters and Admin › Status read these counts.
/// </summary>
public sealed class LiveConnections
{
    private long _streams;
    private long _circuits;

    public long Streams => Interlocked.Read(ref _streams);

    public long Circuits => Interlocked.Read(ref _circuits);

    /// <summary>Counts a stream until the returned handle is disposed (once, however often it is disposed).</summary>
    public IDisposable StreamOpened()
    {
        Interlocked.Increment(ref _streams);
        return new Closing(() => Interlocked.Decrement(ref _streams));
    }

    public void CircuitOpened() => Interlocked.Increment(ref _circuits);

    public void CircuitClosed() => Interlocked.Decrement(ref _circuits);

    private sealed class Closing(Action close) : IDisposable
    {
        private int _closed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _closed, 1) == 0)
                close();
        }
    }
}
