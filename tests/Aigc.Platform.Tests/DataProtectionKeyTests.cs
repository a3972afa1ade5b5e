using Aigc.Platform.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Platform.Tests;

/// <summary>Data-protection keys in the database, encrypted under the data directory's key (decision 0016).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DataProtectionKeyTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task What_one_host_protects_another_on_the_same_data_unprotects()
    {
        var data = _folder.Sub("data");
        string secret;
        await using (var one = await ServiceHost.StartAsync(data))
            secret = one.Get<IDataProtectionProvider>().CreateProtector("test").Protect("sign-in ticket");
        await using var other = new ServiceHost(data);
        Assert.Equal("sign-in ticket", other.Get<IDataProtectionProvider>().CreateProtector("test").Unprotect(secret));
        await using var db = other.OpenDatabase();
        Assert.Contains("aesGcmEncryptedKey", (await db.DataProtectionKeys.SingleAsync()).Xml, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_key_file_others_may_read_stops_the_start_with_the_command_that_fixes_it()
    {
        var data = _folder.Sub("data");
        KeyEncryptionKey.LoadOrCreate(data);
        var path = Path.Combine(data, KeyEncryptionKey.FileName);
        File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.OtherRead);
        await using var host = await ServiceHost.StartAsync(data);
        var error = Assert.ThrowsAny<Exception>(() => host.Get<IDataProtectionProvider>().CreateProtector("test").Protect("x"));
        Assert.Contains($"chmod 600 {path}", Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_a_previous_version_kept_in_the_keys_folder_are_copied_in_so_cookies_stay_valid()
    {
        var data = _folder.Sub("data");
        string secret;
        // What the file repository wrote before the keys moved into the database.
        var services = new ServiceCollection();
        services.AddDataProtection().SetApplicationName("Aigc.Portal").PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(data, "keys")));
        await using (var old = services.BuildServiceProvider())
            secret = old.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect("old ticket");

        await using var host = await ServiceHost.StartAsync(data);
        Assert.Equal("old ticket", host.Get<IDataProtectionProvider>().CreateProtector("test").Unprotect(secret));
        await using var db = host.OpenDatabase();
        Assert.Equal(1, await db.DataProtectionKeys.CountAsync());
    }

    private static string Flatten(Exception error)
    {
        var messages = new List<string>();
        for (Exception? e = error; e is not null; e = e.InnerException)
            messages.Add(e.Message);
        return string.Join("\n", messages);
    }
}
