using System.Runtime.CompilerServices;
using Aigc.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Accounts;

/// <summary>
/// The live count of registrations waiting for approval, for the admins' navigation badge. Registrations and approvals
/// in this process wake the watchers at once; a slow poll catches those made by other processes sharing the database.
/// </summary>
public sealed class PendingRegistrations(IDbContextFactory<PortalDbContext> contexts)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(15);
    private TaskCompletionSource _changed = NewSignal();

    public void Notify() => Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();

    public async Task<int> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.Users.CountAsync(u => u.ApprovedAt == null, cancellationToken);
    }

    /// <summary>The count now, then each time it changes, until cancelled (the watching component is disposed).</summary>
    public async IAsyncEnumerable<int> WatchAsync([EnumeratorCancellation] CancellationToken token)
    {
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

            try
            {
                await changed.WaitAsync(PollInterval, token);
            }
            catch (TimeoutException)
            {
            }
            catch (OperationCanceledException)
            {
                yield break;
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
