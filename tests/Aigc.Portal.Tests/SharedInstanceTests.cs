using System.Net;
using Aigc.Platform.Data;
using Aigc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Portal.Tests;

/// <summary>Two portal instances on one database and data directory, as behind a load balancer (decision 0016).</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SharedInstanceTests
{
    [Fact]
    public async Task A_cookie_issued_by_one_instance_works_on_the_other_and_their_keys_are_encrypted_in_the_database()
    {
        await using var first = new PortalHost();
        var shared = new Dictionary<string, string?>(TestProvider.Settings(first.DataDirectory)) { ["Platform:DataDirectory"] = first.DataDirectory };
        await using var second = new PortalHost(shared);

        using var signedIn = first.NewClient();
        await signedIn.SignInOrFailAsync(PortalHost.AdminEmail, PortalHost.AdminPassword);
        using var elsewhere = second.NewClient();
        foreach (Cookie cookie in signedIn.Cookies.GetAllCookies())
            elsewhere.Cookies.Add(second.BaseAddress, new Cookie(cookie.Name, cookie.Value));
        Assert.Equal(HttpStatusCode.OK, (await elsewhere.GetAsync("/admin/users")).StatusCode);
        using (var anonymous = second.NewClient())
            Assert.Equal(HttpStatusCode.Redirect, (await anonymous.GetAsync("/admin/users")).StatusCode);

        // The key ring is in the database, encrypted under the data directory's key; nothing is written to keys/.
        await using (var db = await first.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync())
        {
            var keys = await db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync();
            Assert.Single(keys);
            Assert.All(keys, xml => Assert.Contains("aesGcmEncryptedKey", xml, StringComparison.Ordinal));
            Assert.All(keys, xml => Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal));
        }

        Assert.False(Directory.Exists(Path.Combine(first.DataDirectory, "keys")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite,
            File.GetUnixFileMode(Path.Combine(first.DataDirectory, KeyEncryptionKey.FileName)));
        Assert.DoesNotContain(first.Logs.Concat(second.Logs), line => line.StartsWith("Warning Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal));
        // A fresh database's first migration logs no failed command (EF asks for a history table that is not there yet).
        Assert.DoesNotContain(first.Logs.Concat(second.Logs), line => line.StartsWith("Error", StringComparison.Ordinal));
    }
}
