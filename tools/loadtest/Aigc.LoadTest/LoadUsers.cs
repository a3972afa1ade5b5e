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
        var secrets = new List<string>();
        for (var i = 1; i <= count; i++)
            secrets.Add(await TokenAsync(database, EmailOf(i), $"Load {i}", PortalRoles.Designer, "load test"));
        return secrets;
    }

    /// <summary>A trainer's account (for the training-run option) and a new API token of it.</summary>
    public static Task<string> TrainerTokenAsync(LoadDatabase database) =>
        TokenAsync(database, "load-trainer@aigc.test", "Load trainer", PortalRoles.Trainer, "load test training");

    /// <summary>Makes sure the approved account exists with the role; returns a new API token of it.</summary>
    private static async Task<string> TokenAsync(LoadDatabase database, string email, string name, string role,
        string tokenName)
    {
        var services = new ServiceCollection().AddLogging().AddScoped(_ => database.Open());
        services.AddIdentityCore<PortalUser>().AddRoles<IdentityRole>().AddEntityFrameworkStores<PortalDbContext>();
        await using var provider = services.BuildServiceProvider();
        await using var scope = provider.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            user = new PortalUser { UserName = email, Email = email, DisplayName = name, ApprovedAt = DateTime.UtcNow };
            Check(await users.CreateAsync(user, Password), email);
            Check(await users.AddToRoleAsync(user, role), email);
        }

        var actor = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, user.Id)], "load-test"));
        return (await new ApiTokens(new Contexts(database), TimeProvider.System)
            .CreateAsync(actor, tokenName, DateTime.UtcNow.AddDays(1))).Secret;
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
