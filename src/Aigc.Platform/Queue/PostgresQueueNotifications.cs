using System.Threading.Channels;
using Aigc.Platform.Data;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Aigc.Platform.Queue;

/// <summary>
/// Carries <see cref="QueueSignal"/>'s pulses between the processes that share a PostgreSQL database: each pulse made
/// here is sent with NOTIFY on one channel, and each one another process sent is received with LISTEN and wakes the
/// waiters here (idle workers, progress watchers), so a job queued on one instance starts on another worker's machine,
/// and its progress reaches whichever instance a user watches from, without waiting for a poll. Delivery is best
/// effort (a lost connection loses pulses until it is back): every wait still polls, so nothing depends on it.
/// On SQLite it does nothing.
/// </summary>
public sealed class PostgresQueueNotifications : BackgroundService
{
    public const string Channel = "aigc_queue";

    // A process's own notifications come back to its listener: its id in the payload tells them apart.
    private readonly string _sender = Guid.NewGuid().ToString("N");
    private readonly Channel<string> _outbox = System.Threading.Channels.Channel.CreateBounded<string>(
        new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly QueueSignal _signal;
    private readonly NpgsqlDataSource? _database;
    private readonly ILogger<PostgresQueueNotifications> _logger;

    public PostgresQueueNotifications(QueueSignal signal, IOptions<DatabaseOptions> database, IOptions<PlatformOptions> platform,
        ILogger<PostgresQueueNotifications> logger)
    {
        _signal = signal;
        _logger = logger;
        if (!database.Value.IsPostgres)
            return;
        _database = NpgsqlDataSource.Create(database.Value.ResolveConnectionString(platform.Value.DataDirectoryFullPath));
        signal.Relay = payload => _outbox.Writer.TryWrite(payload);
    }

    /// <summary>Completes once this process listens (tests wait for it before the other side pulses).</summary>
    public Task Listening => _listening.Task;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => _database is null
        ? Task.CompletedTask
        : Task.WhenAll(ListenAsync(_database, stoppingToken), SendAsync(_database, stoppingToken));

    private async Task ListenAsync(NpgsqlDataSource database, CancellationToken stoppingToken)
    {
        var retry = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await database.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => Receive(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                _listening.TrySetResult();
                retry = TimeSpan.FromMilliseconds(250);
                while (true)
                    await connection.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
            {
                _logger.LogWarning(e, "Listening for queue notifications failed; polling only until it is back (retry in {Delay})", retry);
                await Task.Delay(retry, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    private async Task SendAsync(NpgsqlDataSource database, CancellationToken stoppingToken)
    {
        var pending = new HashSet<string>();
        try
        {
            while (await _outbox.Reader.WaitToReadAsync(stoppingToken))
            {
                // Pulses that pile up while one is sent go out together, each once.
                while (_outbox.Reader.TryRead(out var payload))
                    pending.Add(payload);
                try
                {
                    await using var batch = database.CreateBatch();
                    foreach (var payload in pending)
                        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT pg_notify($1, $2)")
                        {
                            Parameters = { new() { Value = Channel }, new() { Value = _sender + " " + payload } },
                        });
                    await batch.ExecuteNonQueryAsync(stoppingToken);
                }
                catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException)
                {
                    _logger.LogWarning(e, "Sending {Count} queue notification(s) failed; other processes will see the change when they poll", pending.Count);
                }

                pending.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Receive(string payload)
    {
        var space = payload.IndexOf(' ');
        if (space < 0 || payload.AsSpan(0, space).SequenceEqual(_sender))
            return;
        _signal.Receive(payload[(space + 1)..]);
    }

    public override void Dispose()
    {
        _signal.Relay = null;
        _database?.Dispose();
        base.Dispose();
    }
}
