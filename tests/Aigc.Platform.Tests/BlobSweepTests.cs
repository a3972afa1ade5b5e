using System.Security.Cryptography;
using Aigc.Platform.Blobs;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Tests;

/// <summary>The sweep of unreferenced blob files: only old ones, only the store's own, never one a row names.</summary>
public sealed class BlobSweepTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Old_unreferenced_blobs_and_leftovers_are_swept_and_nothing_named_young_or_foreign_is()
    {
        await using var host = await ServiceHost.StartAsync(_folder.Sub("data"));
        var version = await host.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Path, 1), "v1");
        var store = host.Get<BlobStore>();
        var old = DateTime.UtcNow.AddDays(-2);
        // A blob a row names: the version's sample grid.
        var named = await store.PutAsync(RandomNumberGenerator.GetBytes(100));
        await using (var setup = host.OpenDatabase())
            await setup.ModelVersions.Where(m => m.Id == version.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.SamplesSha256, named));
        File.SetLastWriteTimeUtc(store.PathOf(named), old);
        var young = await store.PutAsync(RandomNumberGenerator.GetBytes(100));
        var orphan = await store.PutAsync(RandomNumberGenerator.GetBytes(100));
        File.SetLastWriteTimeUtc(store.PathOf(orphan), old);
        var leftover = Path.Combine(Path.GetDirectoryName(store.PathOf(orphan))!, $".{orphan}.{Guid.NewGuid():N}.tmp");
        await File.WriteAllBytesAsync(leftover, [1, 2]);
        File.SetLastWriteTimeUtc(leftover, old);
        var foreign = Path.Combine(Path.GetDirectoryName(store.PathOf(orphan))!, "notes.txt");
        await File.WriteAllTextAsync(foreign, "an operator's file");
        File.SetLastWriteTimeUtc(foreign, old);
        // Stored again just now (as for a row about to be committed): touched, so young and kept.
        var again = RandomNumberGenerator.GetBytes(100);
        var touched = await store.PutAsync(again);
        File.SetLastWriteTimeUtc(store.PathOf(touched), old);
        Assert.Equal(touched, await store.PutAsync(again));
        var sweep = host.Get<BlobSweep>();

        var report = await sweep.RunAsync(remove: false);

        // Unreferenced, and whether past the safe age: the named blob and the operator's file are not listed at all.
        var found = report.Files.ToDictionary(f => f.File.Path, f => f.Old);
        Assert.Equal(new Dictionary<string, bool>
        {
            [leftover] = true, [store.PathOf(orphan)] = true, [store.PathOf(touched)] = false, [store.PathOf(young)] = false,
        }, found);
        Assert.Equal((2, 0), (report.OldLeft, report.Removed));
        Assert.True(File.Exists(store.PathOf(orphan)) && File.Exists(leftover));

        var swept = await sweep.RunAsync(remove: true);

        Assert.Equal((2, 0, 100L + 2), (swept.Removed, swept.OldLeft, swept.RemovedBytes));
        Assert.False(File.Exists(store.PathOf(orphan)));
        Assert.False(File.Exists(leftover));
        Assert.All(new[] { store.PathOf(named), store.PathOf(young), store.PathOf(touched), foreign }, path => Assert.True(File.Exists(path), path));
        Assert.Equal(BlobState.Intact, await store.CheckAsync(named));
        await using var db = host.OpenDatabase();
        Assert.Equal(named, (await db.ModelVersions.SingleAsync()).SamplesSha256);
    }
}
