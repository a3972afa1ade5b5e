using Aigc.Platform.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.LoadTest;

/// <summary>Approved designer accounts made directly in the portal's database, through Identity's own stores and hasher.</summary>
public static class LoadUsers
{
    public const string Password = "Load-Test-Passw0rd";

    public static string EmailOf(int user) => $"load-{user:D2}@aigc.test";

    /// <summary>Makes sure users 1..<paramref name="count"/> exist with the Designer role.</summary>
    public static async Task EnsureAsync(LoadDatabase database, int count)
    {
        var services = new ServiceCollection().AddLogging().AddScoped(_ => database.Open());
        services.AddIdentityCore<PortalUser>().AddRoles<IdentityRole>().AddEntityFrameworkStores<PortalDbContext>();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        for (var i = 1; i <= count; i++)
        {
            var email = EmailOf(i);
            if (await users.FindByEmailAsync(email) is not null)
                continue;
            var user = new PortalUser { UserName = email, Email = email, DisplayName = $"Load {i}", ApprovedAt = DateTime.UtcNow };
            Check(await users.CreateAsync(user, Password), email);
            Check(await users.AddToRoleAsync(user, "Designer"), email);
        }
    }

    private static void Check(IdentityResult result, string email)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"Could not create {email}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
    }
}
