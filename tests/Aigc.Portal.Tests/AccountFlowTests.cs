using System.Net;
using Aigc.Platform.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Portal.Tests;

public sealed class AccountFlowTests
{
    [Fact]
    public async Task Under_approval_a_new_user_cannot_sign_in_until_an_admin_approves()
    {
        await using var host = new PortalHost();
        using var newcomer = host.NewClient();
        var registered = await newcomer.RegisterAsync("newcomer@aigc.test", TestUsers.Password, "New Comer");
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        Assert.Equal("/account/login?status=registered", registered.RedirectTarget());

        var refused = await newcomer.SignInAsync("newcomer@aigc.test", TestUsers.Password);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("waiting for an administrator", await refused.Content.ReadAsStringAsync());

        var directory = host.Services.GetRequiredService<UserDirectory>();
        var found = await directory.SearchAsync(new UserSearch("newcomer"));
        Assert.True(Assert.Single(found.Items).IsPending);

        var admin = await host.PrincipalOfAsync(PortalHost.AdminEmail);
        var user = await host.FindUserAsync("newcomer@aigc.test");
        var approved = await host.Services.GetRequiredService<UserAdministration>().ApproveAsync(admin, user.Id);
        Assert.Equal(UserActionOutcome.Done, approved.Outcome);
        Assert.False(approved.User!.IsPending);

        await newcomer.SignInOrFailAsync("newcomer@aigc.test", TestUsers.Password);
        var nav = (await newcomer.GetPageAsync("/")).QuerySelector("[data-testid=main-nav]")!.TextContent;
        Assert.Contains("Gallery", nav);
        Assert.DoesNotContain("Studio", nav);

        var audit = await host.QueryAsync(db => db.AuditEntries.Where(e => e.TargetName == "newcomer@aigc.test").Select(e => e.Action).ToListAsync());
        Assert.Equal(["user.register", "user.approve"], audit);
    }

    [Fact]
    public async Task Repeated_wrong_passwords_lock_the_account()
    {
        await using var host = new PortalHost(new Dictionary<string, string?> { ["Accounts:LockoutMaxFailedAttempts"] = "3" });
        await host.CreateUserAsync("lockme@aigc.test", PortalRoles.Designer);
        using var client = host.NewClient();
        for (var i = 0; i < 3; i++)
        {
            var wrong = await client.SignInAsync("lockme@aigc.test", "Wrong-Passw0rd");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }

        var right = await client.SignInAsync("lockme@aigc.test", TestUsers.Password);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("This account is locked", await right.Content.ReadAsStringAsync());
        Assert.NotNull((await host.FindUserAsync("lockme@aigc.test")).LockoutEnd);
    }

    [Fact]
    public async Task Posts_without_an_antiforgery_token_are_rejected_and_change_nothing()
    {
        await using var host = new PortalHost();
        using var admin = host.NewClient();
        await admin.SignInOrFailAsync(PortalHost.AdminEmail, PortalHost.AdminPassword);

        var stamp = (await host.FindUserAsync(PortalHost.AdminEmail)).SecurityStamp;
        var signOut = await admin.PostFormAsync("/account/sign-out-everywhere", []);
        Assert.Equal(HttpStatusCode.BadRequest, signOut.StatusCode);
        Assert.Equal(stamp, (await host.FindUserAsync(PortalHost.AdminEmail)).SecurityStamp);

        var theme = await admin.PostFormAsync("/preferences/theme", [new("theme", "dark")]);
        Assert.Equal(HttpStatusCode.BadRequest, theme.StatusCode);
        Assert.Null((await host.FindUserAsync(PortalHost.AdminEmail)).UiTheme);

        using var anonymous = host.NewClient();
        var login = await anonymous.PostFormAsync("/account/login", [
            new("_handler", "login"), new("Input.Email", PortalHost.AdminEmail), new("Input.Password", PortalHost.AdminPassword)]);
        Assert.Equal(HttpStatusCode.BadRequest, login.StatusCode);
        Assert.DoesNotContain(anonymous.Cookies.GetAllCookies(), c => c.Name == "aigc.auth");
    }

    [Fact]
    public async Task A_form_post_with_a_bad_token_gets_a_clear_400_page_in_production()
    {
        await using var host = new PortalHost(environment: "Production");
        using var client = host.NewClient();
        var response = await client.PostFormAsync("/account/login", [
            new("_handler", "login"), new("__RequestVerificationToken", "forged"), new("Input.Email", "x@aigc.test"), new("Input.Password", "y")]);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", html);
    }

    [Fact]
    public async Task Admin_actions_change_the_account_and_are_audited()
    {
        await using var host = new PortalHost();
        var user = await host.CreateUserAsync("roles@aigc.test", PortalRoles.Viewer);
        var admin = await host.PrincipalOfAsync(PortalHost.AdminEmail);
        var administration = host.Services.GetRequiredService<UserAdministration>();

        var roles = await administration.SetRolesAsync(admin, user.Id,
            [PortalRoles.Designer, PortalRoles.Marketer, "Superuser"]);
        Assert.Equal([PortalRoles.Designer, PortalRoles.Marketer], roles.User!.Roles);

        var locked = await administration.LockAsync(admin, user.Id);
        Assert.True(locked.User!.IsLocked);
        using var lockedClient = host.NewClient();
        var refused = await lockedClient.SignInAsync("roles@aigc.test", TestUsers.Password);
        Assert.Contains("This account is locked", await refused.Content.ReadAsStringAsync());

        await administration.UnlockAsync(admin, user.Id);
        await lockedClient.SignInOrFailAsync("roles@aigc.test", TestUsers.Password);

        var reset = await administration.CreateResetTokenAsync(admin, user.Id);
        var link = $"/account/reset-password?user={Uri.EscapeDataString(user.Id)}&code={Uri.EscapeDataString(reset.ResetToken!)}";
        using var resetter = host.NewClient();
        var done = await resetter.SubmitFormAsync(link, "reset-password", new Dictionary<string, string>
        {
            ["Input.NewPassword"] = "Brand-New-Passw0rd",
            ["Input.ConfirmPassword"] = "Brand-New-Passw0rd",
        });
        Assert.Equal("/account/login?status=password-reset", done.RedirectTarget());
        await resetter.SignInOrFailAsync("roles@aigc.test", "Brand-New-Passw0rd");

        var actions = await host.QueryAsync(db => db.AuditEntries.Where(e => e.TargetId == user.Id).OrderBy(e => e.Id).Select(e => e.Action).ToListAsync());
        Assert.Equal(["user.roles", "user.lock", "user.unlock", "user.reset-link"], actions);
        var actor = await host.QueryAsync(db => db.AuditEntries.Where(e => e.TargetId == user.Id).Select(e => e.ActorName).Distinct().ToListAsync());
        Assert.Equal([PortalHost.AdminEmail], actor);
    }

    [Fact]
    public async Task An_admin_cannot_lock_themselves_or_drop_their_own_admin_role()
    {
        await using var host = new PortalHost();
        var admin = await host.PrincipalOfAsync(PortalHost.AdminEmail);
        var self = await host.FindUserAsync(PortalHost.AdminEmail);
        var administration = host.Services.GetRequiredService<UserAdministration>();

        var lockSelf = await administration.LockAsync(admin, self.Id);
        Assert.Equal(UserActionOutcome.RefusedForSelf, lockSelf.Outcome);
        Assert.False(lockSelf.User!.IsLocked);
        var roles = await administration.SetRolesAsync(admin, self.Id, [PortalRoles.Viewer]);
        Assert.Equal([PortalRoles.Admin, PortalRoles.Viewer], roles.User!.Roles);
        var audit = await host.QueryAsync(db => db.AuditEntries.Where(e => e.TargetId == self.Id && e.Action != "user.bootstrap-admin")
            .Select(e => e.Action).ToListAsync());
        Assert.Equal(["user.roles"], audit);
    }

    [Fact]
    public async Task Sign_out_everywhere_ends_every_session_of_the_account()
    {
        await using var host = new PortalHost();
        await host.CreateUserAsync("two-devices@aigc.test", PortalRoles.Designer);
        using var laptop = host.NewClient();
        using var phone = host.NewClient();
        await laptop.SignInOrFailAsync("two-devices@aigc.test", TestUsers.Password);
        await phone.SignInOrFailAsync("two-devices@aigc.test", TestUsers.Password);
        Assert.Equal(HttpStatusCode.OK, (await phone.GetAsync("/studio")).StatusCode);

        var page = await laptop.GetPageAsync("/account");
        var token = page.QuerySelector("form[action='account/sign-out-everywhere'] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var signOut = await laptop.PostFormAsync("/account/sign-out-everywhere", [new("__RequestVerificationToken", token)]);
        Assert.Equal("/account/login?status=signed-out-everywhere", signOut.RedirectTarget());

        var after = await phone.GetAsync("/studio");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/account/login", after.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task Invites_let_one_person_register_with_a_role_and_sign_in_at_once()
    {
        await using var host = new PortalHost(new Dictionary<string, string?> { ["Accounts:RegistrationPolicy"] = "Invite" });
        using var anonymous = host.NewClient();
        var closed = await anonymous.GetPageAsync("/account/register");
        Assert.NotNull(closed.QuerySelector("[data-testid=registration-closed]"));

        var invitations = host.Services.GetRequiredService<Invitations>();
        var asAdmin = await host.PrincipalOfAsync(PortalHost.AdminEmail);
        var viewer = await host.CreateUserAsync("viewer-invites@aigc.test", PortalRoles.Viewer);
        var asViewer = await host.PrincipalOfAsync(viewer.Email!);
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() =>
            invitations.CreateAsync(asViewer, PortalRoles.Admin, null, TimeSpan.FromDays(1)));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => invitations.RecentAsync(asViewer));
        await Assert.ThrowsAsync<ArgumentException>(() =>
            invitations.CreateAsync(asAdmin, "Overlord", null, TimeSpan.FromDays(1)));
        Assert.Empty(await invitations.RecentAsync(asAdmin));

        var token = (await invitations.CreateAsync(asAdmin, PortalRoles.Marketer, null, TimeSpan.FromDays(7))).Token;
        var listed = Assert.Single(await invitations.RecentAsync(asAdmin));
        Assert.Equal((PortalRoles.Marketer, null), (listed.Role, listed.UsedAt));
        Assert.NotEqual(token, listed.TokenHash);
        Assert.Equal("invite.create", (await host.QueryAsync(db => db.AuditEntries.SingleAsync(a => a.Action == "invite.create"))).Action);

        var registered = await anonymous.RegisterAsync("invited@aigc.test", TestUsers.Password, invite: token);
        Assert.Equal("/account/login?status=welcome", registered.RedirectTarget());
        await anonymous.SignInOrFailAsync("invited@aigc.test", TestUsers.Password);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/ads")).StatusCode);

        using var second = host.NewClient();
        var reused = await second.GetPageAsync($"/account/register?invite={Uri.EscapeDataString(token)}");
        Assert.Contains("invalid, already used or expired", reused.QuerySelector("[data-testid=registration-closed]")!.TextContent);
        var used = Assert.Single(await invitations.RecentAsync(asAdmin));
        Assert.Equal((await host.FindUserAsync("invited@aigc.test")).Id, used.UsedByUserId);
    }

    [Fact]
    public async Task Without_configured_credentials_the_first_admin_gets_a_one_time_password_to_change()
    {
        await using var host = new PortalHost(new Dictionary<string, string?> { ["AIGC_ADMIN_EMAIL"] = "", ["AIGC_ADMIN_PASSWORD"] = "" });
        _ = host.BaseAddress;
        var line = host.Logs.Single(l => l.Contains("one-time password", StringComparison.Ordinal));
        Assert.DoesNotContain("Aa1", line);
        var user = await host.FindUserAsync("admin@aigc.local");
        Assert.True(user.MustChangePassword);
    }
}
