using System.Security.Claims;
using Aigc.Platform.Audit;
using Aigc.Platform.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Platform.Accounts;

public enum UserActionOutcome
{
    Done,
    AlreadyApproved,
    NotFound,
    /// <summary>An admin may not lock their own account (another admin may).</summary>
    RefusedForSelf,
    /// <summary>Identity refused the change; <see cref="UserActionResult.Error"/> says why.</summary>
    Failed,
}

/// <summary>What an action did, the user's row as it is now, and for a reset the one-time token.</summary>
public sealed record UserActionResult(UserActionOutcome Outcome, UserListItem? User, string? Error = null,
    string? ResetToken = null);

/// <summary>
/// Admin actions on one account: approve, lock, unlock, roles, password reset. Each checks that the caller is an admin,
/// runs in its own unit of work, and lands together with its audit entry.
/// </summary>
public sealed class UserAdministration(
    IServiceScopeFactory scopes, UserDirectory directory, PendingRegistrations pending, TimeProvider clock)
{
    public Task<UserActionResult> ApproveAsync(ClaimsPrincipal admin, string userId,
        CancellationToken cancellationToken = default) =>
        RunAsync(admin, userId, "user.approve", async (user, users, action) =>
        {
            if (user.ApprovedAt is not null)
            {
                return UserActionOutcome.AlreadyApproved;
            }

            user.ApprovedAt = clock.GetUtcNow().UtcDateTime;
            Check(await users.UpdateAsync(user));
            return UserActionOutcome.Done;
        }, cancellationToken);

    public Task<UserActionResult> LockAsync(ClaimsPrincipal admin, string userId,
        CancellationToken cancellationToken = default) =>
        RunAsync(admin, userId, "user.lock", async (user, users, action) =>
        {
            if (action.IsSelf)
            {
                return UserActionOutcome.RefusedForSelf;
            }

            Check(await users.SetLockoutEnabledAsync(user, true));
            Check(await users.SetLockoutEndDateAsync(user, DateTimeOffset.MaxValue));
            // Ends the user's open sessions at their next validation.
            Check(await users.UpdateSecurityStampAsync(user));
            return UserActionOutcome.Done;
        }, cancellationToken);

    public Task<UserActionResult> UnlockAsync(ClaimsPrincipal admin, string userId,
        CancellationToken cancellationToken = default) =>
        RunAsync(admin, userId, "user.unlock", async (user, users, action) =>
        {
            Check(await users.SetLockoutEndDateAsync(user, null));
            Check(await users.ResetAccessFailedCountAsync(user));
            return UserActionOutcome.Done;
        }, cancellationToken);

    /// <summary>Sets the user's roles to the known ones in <paramref name="roles"/>; an admin keeps their own admin role.</summary>
    public Task<UserActionResult> SetRolesAsync(ClaimsPrincipal admin, string userId, IEnumerable<string> roles,
        CancellationToken cancellationToken = default) =>
        RunAsync(admin, userId, "user.roles", async (user, users, action) =>
        {
            var wanted = roles.Where(PortalRoles.All.Contains).ToHashSet();
            if (action.IsSelf)
            {
                wanted.Add(PortalRoles.Admin);
            }

            var current = (await users.GetRolesAsync(user)).ToHashSet();
            var add = wanted.Except(current).ToList();
            var remove = current.Except(wanted).ToList();
            if (add.Count > 0)
            {
                Check(await users.AddToRolesAsync(user, add));
            }

            if (remove.Count > 0)
            {
                Check(await users.RemoveFromRolesAsync(user, remove));
            }

            action.Details = $"roles={string.Join(",", wanted.Order())}";
            return UserActionOutcome.Done;
        }, cancellationToken);

    /// <summary>A single-use password reset token for the admin to hand over (the portal makes it a link).</summary>
    public Task<UserActionResult> CreateResetTokenAsync(ClaimsPrincipal admin, string userId,
        CancellationToken cancellationToken = default) =>
        RunAsync(admin, userId, "user.reset-link", async (user, users, action) =>
        {
            action.ResetToken = await users.GeneratePasswordResetTokenAsync(user);
            return UserActionOutcome.Done;
        }, cancellationToken);

    private async Task<UserActionResult> RunAsync(ClaimsPrincipal admin, string userId, string auditAction,
        Func<PortalUser, UserManager<PortalUser>, ActionState, Task<UserActionOutcome>> change,
        CancellationToken cancellationToken)
    {
        PortalRoles.DemandAdmin(admin, "manage accounts");

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return new UserActionResult(UserActionOutcome.NotFound, null);
        }

        var state = new ActionState(user.Id == admin.FindFirstValue(ClaimTypes.NameIdentifier));
        UserActionOutcome outcome;
        try
        {
            outcome = await change(user, users, state);
        }
        catch (IdentityRefusedException e)
        {
            return new UserActionResult(UserActionOutcome.Failed,
                await directory.FindAsync(userId, cancellationToken), e.Message);
        }

        if (outcome == UserActionOutcome.Done)
        {
            scope.ServiceProvider.GetRequiredService<AuditLog>()
                .Record(admin, auditAction, user.Id, user.Email, state.Details);
            await scope.ServiceProvider.GetRequiredService<PortalDbContext>().SaveChangesAsync(cancellationToken);
            pending.Notify();
        }

        return new UserActionResult(outcome, await directory.FindAsync(userId, cancellationToken), null,
            state.ResetToken);
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new IdentityRefusedException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }

    private sealed class ActionState(bool isSelf)
    {
        public bool IsSelf { get; } = isSelf;

        public string? Details { get; set; }

        public string? ResetToken { get; set; }
    }

    private sealed class IdentityRefusedException(string message) : Exception(message);
}
