using System.Security.Cryptography;
using Aigc.Platform.Blobs;

namespace Aigc.Platform.Tests;

public sealed class BlobStoreTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Blobs_are_stored_once_under_their_hash_and_read_back()
    {
        var store = new BlobStore(Path.Combine(_folder.Path, "blobs"));
        var bytes = RandomNumberGenerator.GetBytes(10_000);

        var hashes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => store.PutAsync(bytes)));

        var hash = Convert.ToHexStringLower(SHA256.HashData(bytes));
        Assert.All(hashes, h => Assert.Equal(hash, h));
        Assert.Equal(Path.Combine(store.Root, hash[..2], hash[2..4], hash), store.PathOf(hash));
        Assert.Equal([store.PathOf(hash)], Directory.GetFiles(store.Root, "*", SearchOption.AllDirectories));
        Assert.Equal(bytes, await store.ReadAllAsync(hash));
    }

    [Fact]
    public async Task A_fan_out_directory_removed_behind_the_stores_back_is_made_again()
    {
        var store = new BlobStore(Path.Combine(_folder.Path, "blobs"));
        var bytes = RandomNumberGenerator.GetBytes(1_000);
        var hash = await store.PutAsync(bytes);
        Directory.Delete(Path.Combine(store.Root, hash[..2]), recursive: true);

        Assert.Equal(hash, await store.PutAsync(bytes));

        Assert.Equal([store.PathOf(hash)], Directory.GetFiles(store.Root, "*", SearchOption.AllDirectories));
        Assert.Equal(bytes, await store.ReadAllAsync(hash));
    }

    [Fact]
    public async Task Bad_and_unknown_hashes_are_refused_clearly()
    {
        var store = new BlobStore(Path.Combine(_folder.Path, "blobs"));
        Assert.Contains("Not a lower-case hex SHA-256", Assert.Throws<ArgumentException>(() => store.PathOf("../../etc/passwd")).Message);
        var missing = new string('a', 64);
        var error = await Assert.ThrowsAsync<FileNotFoundException>(() => store.ReadAllAsync(missing));
        Assert.Contains(missing, error.Message);
    }

    [Fact]
    public async Task A_failed_write_throws_its_own_error_not_the_cleanups_and_leaves_nothing()
    {
        // Tests run as root, where permissions stop no write: a file where the fan-out directory must be fails the
        // write as surely (and as early: no temporary file is made, the case whose cleanup used to throw).
        var store = new BlobStore(Path.Combine(_folder.Path, "blobs"));
        var bytes = RandomNumberGenerator.GetBytes(1_000);
        var hash = BlobStore.HashOf(bytes);
        var blocker = Path.Combine(store.Root, hash[..2]);
        await File.WriteAllBytesAsync(blocker, [1]);

        var error = await Assert.ThrowsAnyAsync<IOException>(() => store.PutAsync(bytes));

        // The cleanup's own error named the temporary file that was never made.
        Assert.DoesNotContain(".tmp", error.Message);
        Assert.Contains(blocker, error.Message);
        File.Delete(blocker);
        Assert.Equal(hash, await store.PutAsync(bytes));
        Assert.Equal([store.PathOf(hash)], Directory.GetFiles(store.Root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task The_probe_reports_a_store_that_cannot_be_written()
    {
        var root = Path.Combine(_folder.Path, "blobs");
        var store = new BlobStore(root);
        Assert.Null(await store.ProbeAsync());
        Assert.Empty(Directory.GetFileSystemEntries(root));

        Directory.Delete(root);
        await File.WriteAllBytesAsync(root, [1]);

        Assert.IsAssignableFrom<IOException>(await store.ProbeAsync());
        File.Delete(root);
        Directory.CreateDirectory(root);
        Assert.Null(await store.ProbeAsync());
    }
}
