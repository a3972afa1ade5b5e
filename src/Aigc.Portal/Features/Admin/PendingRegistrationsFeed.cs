using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Aigc.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Portal.Features.Admin;

/// <summary>
/// The live count of registrations waiting for approval, for the admin navigation badge. Registrations in this
/// process wake the stream at once; a slow poll catches those made by other processes sharing the database.
/// </summary>
public sealed class PendingRegistrationsFeed(IServiceScopeFactory scopes, IHostApplicationLifetime lifetime)
{
    public const string EventName = "pending";
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(15);
    private TaskCompletionSource _changed = NewSignal();

    public void Notify() => Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();

    public async IAsyncEnumerable<SseItem<string>> StreamAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var count in WatchAsync(cancellationToken))
        {
            yield return new SseItem<string>(Badge(count), EventName);
        }
    }

    /// <summary>The count now, then each time it changes, until cancelled or the server stops.</summary>
    public async IAsyncEnumerable<int> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lifetime.ApplicationStopping);
        var token = linked.Token;
        int? last = null;
        while (!token.IsCancellationRequested)
        {
            // Taken before counting, so a registration that lands during the count still wakes the next wait.
            var changed = Volatile.Read(ref _changed).Task;
            int count;
            try
            {
                count = await CountAsync(token);
            }
            catch (OperationCanceledException)
            {
                yield break;
            }

            if (count != last)
            {
                last = count;
                yield return count;
            }

            if (!await WaitAsync(changed, token))
            {
                yield break;
            }
        }
    }

    public static string Badge(int count) => count == 0
        ? ""
        : $"<span class=\"badge rounded-pill text-bg-warning ms-1\" title=\"{count} registration(s) waiting for approval\">{count}</span>";

    public async Task<int> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        return await db.Users.CountAsync(u => u.ApprovedAt == null, cancellationToken);
    }

    /// <summary>False when the stream should end (client gone or server stopping).</summary>
    private static async Task<bool> WaitAsync(Task changed, CancellationToken cancellationToken)
    {
        try
        {
            await changed.WaitAsync(PollInterval, cancellationToken);
        }
        catch (TimeoutException)
        {
        }
        catch (OperationCanceledException)
        {
            return false;
        }

        return true;
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
