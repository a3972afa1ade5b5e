using System.Security.Cryptography;
using Aigc.Platform.Audit;
using Aigc.Platform.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Aigc.Platform.Accounts;

/// <summary>
/// Makes sure the roles exist and that someone can administer a fresh installation: the first admin comes from
/// AIGC_ADMIN_EMAIL / AIGC_ADMIN_PASSWORD, or gets a one-time password printed to the console. Scoped: it shares
/// the unit of work with the host's Identity stores (AddIdentityCore with the PortalDbContext stores).
/// </summary>
public sealed class AccountsBootstrap(
    RoleManager<IdentityRole> roles,
    UserManager<PortalUser> users,
    PortalDbContext db,
    AuditLog audit,
    IConfiguration configuration,
    TimeProvider clock,
    ILogger<AccountsBootstrap> logger)
{
    public const string DefaultAdminEmail = "admin@aigc.local";

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        foreach (var role in PortalRoles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)), $"create role {role}");
            }
        }

        if ((await users.GetUsersInRoleAsync(PortalRoles.Admin)).Count > 0)
        {
            return;
        }

        var email = configuration["AIGC_ADMIN_EMAIL"] is { Length: > 0 } e ? e : DefaultAdminEmail;
        var given = configuration["AIGC_ADMIN_PASSWORD"];
        var password = string.IsNullOrEmpty(given) ? OneTimePassword() : given;

        var admin = await users.FindByEmailAsync(email);
        if (admin is null)
        {
            admin = new PortalUser
            {
                UserName = email, Email = email, EmailConfirmed = true, DisplayName = "Administrator",
            };
            Check(await users.CreateAsync(admin, password),
                "create the first admin (AIGC_ADMIN_EMAIL / AIGC_ADMIN_PASSWORD)");
        }
        else
        {
            Check(await users.RemovePasswordAsync(admin), "reset the first admin's password");
            Check(await users.AddPasswordAsync(admin, password),
                "set the first admin's password (AIGC_ADMIN_PASSWORD)");
        }

        admin.ApprovedAt = clock.GetUtcNow().UtcDateTime;
        admin.MustChangePassword = string.IsNullOrEmpty(given);
        Check(await users.UpdateAsync(admin), "approve the first admin");
        Check(await users.AddToRoleAsync(admin, PortalRoles.Admin), "make the first user an admin");
        audit.Record(null, "user.bootstrap-admin", admin.Id, email);
        await db.SaveChangesAsync(cancellationToken);

        if (string.IsNullOrEmpty(given))
        {
            // Information, not a warning: nothing is wrong, and a fresh start logs no warnings.
            logger.LogInformation(
                "Created the first admin {Email} with a one-time password; it must be changed at first sign-in", email);
            Console.WriteLine();
            Console.WriteLine("  ┌───────────────────────────────────────────────────────────────");
            Console.WriteLine($"  │ First admin: {email}");
            Console.WriteLine($"  │ One-time password: {password}");
            Console.WriteLine("  │ Sign in and choose a new password. It is not shown again.");
            Console.WriteLine("  └───────────────────────────────────────────────────────────────");
            Console.WriteLine();
        }
        else
        {
            logger.LogInformation("Created the first admin {Email} from AIGC_ADMIN_EMAIL / AIGC_ADMIN_PASSWORD", email);
        }
    }

    private static string OneTimePassword()
    {
        // Letters and digits of both cases so it satisfies the password policy; 20 characters ≈ 119 bits.
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        var chars = RandomNumberGenerator.GetItems<char>(alphabet, 17);
        return string.Concat("Aa1", new string(chars));
    }

    private static void Check(IdentityResult result, string operation)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(
                $"Could not {operation}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
        }
    }
}
