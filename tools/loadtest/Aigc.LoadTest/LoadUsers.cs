using System.Security.Claims;
using Aigc.Platform.Accounts;
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

    /// <summary>Makes sure users 1..<paramref name="count"/> exist with the Designer role; returns a new API token of each.</summary>
    public static async Task<List<string>> EnsureAsync(LoadDatabase database, int count)
    {
        var services = new ServiceCollection().AddLogging().AddScoped(_ => database.Open());
        services.AddIdentityCore<PortalUser>().AddRoles<IdentityRole>().AddEntityFrameworkStores<PortalDbContext>();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var tokens = new ApiTokens(new Contexts(database), TimeProvider.System);
        var secrets = new List<string>();
        for (var i = 1; i <= count; i++)
        {
            var email = EmailOf(i);
            var user = await users.FindByEmailAsync(email);
            if (user is null)
            {
                user = new PortalUser { UserName = email, Email = email, DisplayName = $"Load {i}", ApprovedAt = DateTime.UtcNow };
                Check(await users.CreateAsync(user, Password), email);
                Check(await users.AddToRoleAsync(user, "Designer"), email);
            }

            var actor = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Id)], "load-test"));
            secrets.Add((await tokens.CreateAsync(actor, "load test", DateTime.UtcNow.AddDays(1))).Secret);
        }

        return secrets;
    }

    /// <summary>A trainer's account (for the training-run option) and a new API token of it.</summary>
    public static async Task<string> TrainerTokenAsync(LoadDatabase database)
    {
        var services = new ServiceCollection().AddLogging().AddScoped(_ => database.Open());
        services.AddIdentityCore<PortalUser>().AddRoles<IdentityRole>().AddEntityFrameworkStores<PortalDbContext>();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        const string email = "load-trainer@aigc.test";
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new PortalUser { UserName = email, Email = email, DisplayName = "Load trainer", ApprovedAt = DateTime.UtcNow };
            Check(await users.CreateAsync(user, Password), email);
            Check(await users.AddToRoleAsync(user, PortalRoles.Trainer), email);
        }

        var actor = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Id)], "load-test"));
        return (await new ApiTokens(new Contexts(database), TimeProvider.System)
            .CreateAsync(actor, "load test training", DateTime.UtcNow.AddDays(1))).Secret;
    }

    private sealed class Contexts(LoadDatabase database) : IDbContextFactory<PortalDbContext>
    {
        public PortalDbContext CreateDbContext() => database.Open();
    }

    private static void Check(IdentityResult result, string email)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"Could not create {email}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
    }
}
