using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Aigc.Platform.Blobs;

/// <summary>
/// Content-addressed files under <c>&lt;data&gt;/blobs/ab/cd/&lt;sha256&gt;</c>. A blob is written to a temporary file
/// and renamed into place, so readers never see a partial file and writing the same bytes twice stores them once.
/// </summary>
public sealed class BlobStore
{
    private readonly string _root;
    private readonly ConcurrentDictionary<string, byte> _directories = new(StringComparer.Ordinal);

    public BlobStore(string root)
    {
        _root = Path.GetFullPath(root);
        Directory.CreateDirectory(_root);
    }

    public string Root => _root;

    /// <summary>The name a blob of these bytes has: their lower-case hex SHA-256.</summary>
    public static string HashOf(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>
    /// Stores the bytes and returns their lower-case hex SHA-256. It runs on the calling thread (one write into the
    /// page cache and a sync, which blocks a thread however it is called); a failure comes back in the task.
    /// </summary>
    public Task<string> PutAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
            return Task.FromCanceled<string>(cancellationToken);
        try
        {
            return Task.FromResult(Put(bytes.Span));
        }
        catch (Exception e)
        {
            return Task.FromException<string>(e);
        }
    }

    private string Put(ReadOnlySpan<byte> bytes)
    {
        var hash = HashOf(bytes);
        var path = PathOf(hash);
        if (Touch(path))
            return hash;
        var directory = Path.GetDirectoryName(path)!;
        var temp = Path.Combine(directory, $".{hash}.{Guid.NewGuid():N}.tmp");
        var created = false;
        var moved = false;
        try
        {
            // Unbuffered: a buffered asynchronous stream only added a copy, an 80-KB buffer and thread-pool hops.
            using (var stream = CreateTemporary(directory, temp))
            {
                created = true;
                stream.Write(bytes);
                stream.Flush(flushToDisk: true);
            }

            // A concurrent writer of the same content may have won the race; its file has the same bytes.
            File.Move(temp, path, overwrite: false);
            moved = true;
        }
        catch (IOException) when (File.Exists(path))
        {
        }
        finally
        {
            if (created && !moved)
                DeleteLeftover(temp);
        }

        return hash;
    }

    /// <summary>
    /// Whether the blob is there; if so its time is set to now. The sweep (<see cref="BlobSweep"/>) removes only
    /// unreferenced files older than a safe age, so a blob just stored again for a row about to be committed is
    /// never swept between this check and that commit.
    /// </summary>
    private static bool Touch(string path)
    {
        // New content is the common case: asking first spares it an exception per blob.
        if (!File.Exists(path))
            return false;
        try
        {
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow);
            return true;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A store mounted read-only still serves the blobs it has (and is not swept either).
            return File.Exists(path);
        }
    }

    /// <summary>
    /// Removes a temporary file a failed write left. Failing to is not the error to report: the write's own exception
    /// (no space left, not permitted) is on its way up, and the sweep removes the file later.
    /// </summary>
    private static void DeleteLeftover(string temp)
    {
        try
        {
            File.Delete(temp);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// Creates the temporary file, and its fan-out directory the first time this store writes there: asking for a
    /// directory that exists still costs a system call per level, for every blob. One removed behind the store's
    /// back is created again.
    /// </summary>
    private FileStream CreateTemporary(string directory, string temp)
    {
        if (!_directories.ContainsKey(directory))
        {
            Directory.CreateDirectory(directory);
            _directories.TryAdd(directory, 0);
        }

        try
        {
            return OpenTemporary(temp);
        }
        catch (DirectoryNotFoundException)
        {
            Directory.CreateDirectory(directory);
            return OpenTemporary(temp);
        }
    }

    private static FileStream OpenTemporary(string temp) =>
        new(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0);

    public bool Exists(string sha256) => File.Exists(PathOf(sha256));

    /// <summary>Whether the blob is there with the bytes its name says: reads and hashes the whole file.</summary>
    public async Task<BlobState> CheckAsync(string sha256, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var stream = OpenRead(sha256);
            var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
            return actual == sha256 ? BlobState.Intact : BlobState.Corrupt;
        }
        catch (FileNotFoundException)
        {
            return BlobState.Missing;
        }
    }

    /// <summary>Puts bytes back under their hash, replacing a file of that name whose bytes are not theirs.</summary>
    public async Task RestoreAsync(string sha256, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        var actual = HashOf(bytes.Span);
        if (actual != sha256)
            throw new ArgumentException($"These bytes are blob {actual}, not {sha256}.", nameof(bytes));
        if (await CheckAsync(sha256, cancellationToken) == BlobState.Corrupt)
            File.Delete(PathOf(sha256));
        await PutAsync(bytes, cancellationToken);
    }

    /// <summary>Removes a blob; false when it was not there.</summary>
    public bool Delete(string sha256)
    {
        var path = PathOf(sha256);
        if (!File.Exists(path))
            return false;
        File.Delete(path);
        return true;
    }

    /// <summary>
    /// Writes, syncs and removes a small file at the store's root: the readiness check's and the worker's proof that
    /// blobs can be stored now. Returns null, or what a write would fail with.
    /// </summary>
    public async Task<Exception?> ProbeAsync(CancellationToken cancellationToken = default)
    {
        var probe = Path.Combine(_root, $".probe.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = OpenTemporary(probe))
            {
                await stream.WriteAsync(new byte[64], cancellationToken);
                stream.Flush(flushToDisk: true);
            }

            File.Delete(probe);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            DeleteLeftover(probe);
            return e;
        }
    }

    /// <summary>Bytes free to this process on the store's file system.</summary>
    public long AvailableFreeBytes => new DriveInfo(_root).AvailableFreeSpace;

    /// <summary>
    /// The blobs (named by their hash) and the temporary files failed writes left, in the store's fan-out folders,
    /// with their last write time. Nothing else is listed, so nothing else is ever swept.
    /// </summary>
    public IEnumerable<StoredFile> List()
    {
        foreach (var first in Directory.EnumerateDirectories(_root).Where(IsFanOut))
        {
            foreach (var second in Directory.EnumerateDirectories(first).Where(IsFanOut))
            {
                foreach (var file in new DirectoryInfo(second).EnumerateFiles())
                {
                    var name = file.Name;
                    if (name.Length == 64 && name.All(char.IsAsciiHexDigitLower))
                        yield return new StoredFile(file.FullName, name, file.Length, file.LastWriteTimeUtc);
                    else if (name.StartsWith('.') && name.EndsWith(".tmp", StringComparison.Ordinal))
                        yield return new StoredFile(file.FullName, null, file.Length, file.LastWriteTimeUtc);
                }
            }
        }

        static bool IsFanOut(string path) =>
            Path.GetFileName(path) is { Length: 2 } name && name.All(char.IsAsciiHexDigitLower);
    }

    /// <summary>
    /// Removes a listed file unless it was written (or, for a blob, stored again: <see cref="PutAsync"/> touches it)
    /// at or after <paramref name="cutoff"/>. A blob is first renamed aside and its time read there: a store of the
    /// same bytes either touched it before (it is put back) or finds it gone and writes it anew, so a blob a row is
    /// about to name is never removed under it.
    /// </summary>
    public bool RemoveIfOlder(StoredFile file, DateTime cutoff)
    {
        try
        {
            if (file.Sha256 is null)
            {
                if (File.GetLastWriteTimeUtc(file.Path) >= cutoff)
                    return false;
                File.Delete(file.Path);
                return true;
            }

            var aside = Path.Combine(Path.GetDirectoryName(file.Path)!, $".{file.Sha256}.{Guid.NewGuid():N}.swept.tmp");
            File.Move(file.Path, aside);
            if (File.GetLastWriteTimeUtc(aside) < cutoff)
            {
                File.Delete(aside);
                return true;
            }

            try
            {
                File.Move(aside, file.Path, overwrite: false);
            }
            catch (IOException) when (File.Exists(file.Path))
            {
                // Written anew meanwhile: the same bytes are in place.
                File.Delete(aside);
            }

            return false;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
    }

    /// <summary>Opens a blob for reading; throws <see cref="FileNotFoundException"/> naming the hash when it is absent.</summary>
    public Stream OpenRead(string sha256)
    {
        var path = PathOf(sha256);
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new FileNotFoundException($"Blob {sha256} is not in the store.", path, e);
        }
    }

    public async Task<byte[]> ReadAllAsync(string sha256, CancellationToken cancellationToken = default)
    {
        await using var stream = OpenRead(sha256);
        var bytes = new byte[stream.Length];
        await stream.ReadExactlyAsync(bytes, cancellationToken);
        return bytes;
    }

    /// <summary>The file of a hash; rejects anything but 64 lower-case hex digits, so a hash can never name a path outside the store.</summary>
    public string PathOf(string sha256)
    {
        if (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigitLower))
            throw new ArgumentException($"Not a lower-case hex SHA-256: \"{sha256}\".", nameof(sha256));
        return Path.Combine(_root, sha256[..2], sha256[2..4], sha256);
    }
}

/// <summary>A file in the store: a blob (<see cref="Sha256"/> its name) or a failed write's leftover (null).</summary>
public sealed record StoredFile(string Path, string? Sha256, long Bytes, DateTime WrittenAt);

public enum BlobState
{
    Intact,
    Missing,
    Corrupt,
}
