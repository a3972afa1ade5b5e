using Microsoft.Extensions.Caching.Memory;

namespace Aigc.Platform.Ads;

/// <summary>
/// The composer's latest preview PNGs, held briefly so the browser fetches each as an ordinary image (never base64
/// through the circuit). Only the user who rendered a preview may read it back; the cache is bounded in bytes.
/// </summary>
public sealed class AdPreviews : IDisposable
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);
    private readonly MemoryCache _cache;

    public AdPreviews(long maxBytes) => _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = maxBytes });

    /// <summary>Keeps <paramref name="png"/> for <paramref name="ownerId"/>, dropping the preview it replaces.</summary>
    public Guid Put(string ownerId, byte[] png, Guid? replaces = null)
    {
        if (replaces is { } old)
            _cache.Remove(old);
        var id = Guid.NewGuid();
        _cache.Set(id, new Stored(ownerId, png), new MemoryCacheEntryOptions { Size = png.Length, SlidingExpiration = Lifetime });
        return id;
    }

    /// <summary>The preview's PNG, or null when it expired, was replaced or is someone else's.</summary>
    public byte[]? Find(Guid id, string userId) =>
        _cache.TryGetValue(id, out Stored? stored) && stored!.OwnerId == userId ? stored.Png : null;

    public void Forget(Guid id) => _cache.Remove(id);

    public void Dispose() => _cache.Dispose();

    private sealed record Stored(string OwnerId, byte[] Png);
}
