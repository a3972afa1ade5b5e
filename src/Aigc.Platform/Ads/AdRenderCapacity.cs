namespace Aigc.Platform.Ads;

/// <summary>
/// Ad rendering is CPU-bound: it runs on the thread pool, never on a request thread, at most
/// <see cref="AdsOptions.RenderConcurrency"/> sizes at a time across the process, and stops taking new work
/// once the request that wanted it is gone.
/// </summary>
public sealed class AdRenderCapacity(int concurrency) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(concurrency, concurrency);

    public async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(() =>
            {
                cancellationToken.ThrowIfCancellationRequested();
                return work();
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
