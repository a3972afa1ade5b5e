using System.Net;
using Aigc.Platform.Accounts;
using Microsoft.EntityFrameworkCore;

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

        using var admin = host.NewClient();
        await admin.SignInOrFailAsync(PortalHost.AdminEmail, PortalHost.AdminPassword);
        var rows = PortalClient.Parse(await (await admin.GetAsync("/admin/users/rows?q=newcomer", htmx: true)).Content.ReadAsStringAsync());
        Assert.Contains("Waiting for approval", rows.QuerySelector("[data-email='newcomer@aigc.test']")!.TextContent);

        var user = await host.FindUserAsync("newcomer@aigc.test");
        var approved = await admin.HtmxPostAsync($"/admin/users/{user.Id}/approve");
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        var row = PortalClient.ParseRow(await approved.Content.ReadAsStringAsync());
        Assert.Contains("Active", row.QuerySelector("tr")!.TextContent);

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
        var target = await host.CreateUserAsync("target@aigc.test", PortalRoles.Viewer);
        using var admin = host.NewClient();
        await admin.SignInOrFailAsync(PortalHost.AdminEmail, PortalHost.AdminPassword);

        var lockPost = await admin.PostFormAsync($"/admin/users/{target.Id}/lock", [], new Dictionary<string, string> { ["HX-Request"] = "true" });
        Assert.Equal(HttpStatusCode.BadRequest, lockPost.StatusCode);
        Assert.Null((await host.FindUserAsync("target@aigc.test")).LockoutEnd);

        var rolesPost = await admin.PostFormAsync($"/admin/users/{target.Id}/roles", [new("roles", PortalRoles.Admin)]);
        Assert.Equal(HttpStatusCode.BadRequest, rolesPost.StatusCode);

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
    public async Task Admin_actions_update_the_row_and_are_audited()
    {
        await using var host = new PortalHost();
        var user = await host.CreateUserAsync("roles@aigc.test", PortalRoles.Viewer);
        using var admin = host.NewClient();
        await admin.SignInOrFailAsync(PortalHost.AdminEmail, PortalHost.AdminPassword);

        var roles = await admin.HtmxPostAsync($"/admin/users/{user.Id}/roles", [new("roles", PortalRoles.Designer), new("roles", PortalRoles.Marketer), new("roles", "Superuser")]);
        Assert.Equal(HttpStatusCode.OK, roles.StatusCode);
        var row = PortalClient.ParseRow(await roles.Content.ReadAsStringAsync());
        var checkedRoles = row.QuerySelectorAll("input[name=roles][checked]").Select(i => i.GetAttribute("value")).ToList();
        Assert.Equal([PortalRoles.Designer, PortalRoles.Marketer], checkedRoles);

        var locked = await admin.HtmxPostAsync($"/admin/users/{user.Id}/lock");
        Assert.Contains("Locked", (await locked.Content.ReadAsStringAsync()));
        using var lockedClient = host.NewClient();
        var refused = await lockedClient.SignInAsync("roles@aigc.test", TestUsers.Password);
        Assert.Contains("This account is locked", await refused.Content.ReadAsStringAsync());

        await admin.HtmxPostAsync($"/admin/users/{user.Id}/unlock");
        await lockedClient.SignInOrFailAsync("roles@aigc.test", TestUsers.Password);

        var reset = PortalClient.ParseRow(await (await admin.HtmxPostAsync($"/admin/users/{user.Id}/reset-link")).Content.ReadAsStringAsync());
        var link = new Uri(reset.QuerySelector("[data-testid=reset-link]")!.GetAttribute("value")!);
        using var resetter = host.NewClient();
        var done = await resetter.SubmitFormAsync(link.PathAndQuery, "reset-password", new Dictionary<string, string>
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
        using var admin = host.NewClient();
        await admin.SignInOrFailAsync(PortalHost.AdminEmail, PortalHost.AdminPassword);
        var self = await host.FindUserAsync(PortalHost.AdminEmail);

        var lockSelf = await admin.HtmxPostAsync($"/admin/users/{self.Id}/lock");
        Assert.Contains("You cannot lock your own account", await lockSelf.Content.ReadAsStringAsync());
        var roles = await admin.HtmxPostAsync($"/admin/users/{self.Id}/roles", [new("roles", PortalRoles.Viewer)]);
        Assert.Equal(HttpStatusCode.OK, roles.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin/users")).StatusCode);
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

        using var admin = host.NewClient();
        await admin.SignInOrFailAsync(PortalHost.AdminEmail, PortalHost.AdminPassword);
        var created = await admin.SubmitFormAsync("/admin/invites", "invite", new Dictionary<string, string> { ["Input.Role"] = PortalRoles.Marketer });
        var link = new Uri(PortalClient.Parse(await created.Content.ReadAsStringAsync()).QuerySelector("[data-testid=invite-link]")!.GetAttribute("value")!);
        var token = Uri.UnescapeDataString(link.Query.Split("invite=")[1]);

        var registered = await anonymous.RegisterAsync("invited@aigc.test", TestUsers.Password, invite: token);
        Assert.Equal("/account/login?status=welcome", registered.RedirectTarget());
        await anonymous.SignInOrFailAsync("invited@aigc.test", TestUsers.Password);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/ads")).StatusCode);

        using var second = host.NewClient();
        var reused = await second.GetPageAsync($"/account/register?invite={Uri.EscapeDataString(token)}");
        Assert.Contains("invalid, already used or expired", reused.QuerySelector("[data-testid=registration-closed]")!.TextContent);
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
