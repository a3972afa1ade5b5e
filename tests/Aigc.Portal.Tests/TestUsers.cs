using Aigc.Platform.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Portal.Tests;

public static class TestUsers
{
    public const string Password = "Passw0rd-Test";

    /// <summary>An approved user with the given roles, created through the portal's own UserManager.</summary>
    public static async Task<PortalUser> CreateUserAsync(this PortalHost host, string email, params string[] roles)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = new PortalUser { UserName = email, Email = email, DisplayName = email.Split('@')[0], ApprovedAt = DateTime.UtcNow };
        var result = await users.CreateAsync(user, Password);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        foreach (var role in roles)
        {
            await users.AddToRoleAsync(user, role);
        }

        return user;
    }

    public static async Task<T> QueryAsync<T>(this PortalHost host, Func<PortalDbContext, Task<T>> query)
    {
        await using var scope = host.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<PortalDbContext>());
    }

    /// <summary>The user as the portal's pages see them: claims and roles from the portal's own factory.</summary>
    public static async Task<System.Security.Claims.ClaimsPrincipal> PrincipalOfAsync(this PortalHost host, string email)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var factory = scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<PortalUser>>();
        return await factory.CreateAsync((await users.FindByEmailAsync(email))!);
    }

    public static Task<PortalUser> FindUserAsync(this PortalHost host, string email) =>
        host.QueryAsync(db => db.Users.AsNoTracking().SingleAsync(u => u.Email == email));
}
