using System.Net;
using System.Text.Json;
using Aigc.Platform.Accounts;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Portal.Tests;

public sealed class AccessTests(PortalHostFixture fixture) : IClassFixture<PortalHostFixture>
{
    private PortalHost Host => fixture.Host;

    [Theory]
    [InlineData("/")]
    [InlineData("/admin/users")]
    [InlineData("/studio")]
    [InlineData("/gallery")]
    [InlineData("/ads")]
    [InlineData("/account")]
    public async Task Anonymous_users_are_sent_to_sign_in(string path)
    {
        using var client = Host.NewClient();
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.AbsolutePath);
        Assert.Contains("ReturnUrl=" + Uri.EscapeDataString(path), response.Headers.Location.Query, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/account/login")]
    [InlineData("/account/register")]
    [InlineData("/healthz")]
    public async Task Anonymous_users_reach_sign_in_registration_and_health(string path)
    {
        using var client = Host.NewClient();
        var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Health_reports_the_database_and_the_native_libraries_with_versions()
    {
        using var client = Host.NewClient();
        var json = JsonDocument.Parse(await (await client.GetAsync("/healthz")).Content.ReadAsStringAsync()).RootElement;
        var checks = json.GetProperty("checks");
        Assert.Equal("Healthy", checks.GetProperty("database").GetProperty("status").GetString());
        var vips = checks.GetProperty("libvips");
        Assert.Equal("Healthy", vips.GetProperty("status").GetString());
        Assert.StartsWith("8.18.", vips.GetProperty("data").GetProperty("version").GetString());
        Assert.Contains("libvips.so", vips.GetProperty("data").GetProperty("path").GetString());
        var blas = checks.GetProperty("openblas");
        Assert.Equal("Healthy", blas.GetProperty("status").GetString());
        Assert.StartsWith("OpenBLAS 0.", blas.GetProperty("data").GetProperty("version").GetString());
    }

    [Fact]
    public async Task A_viewer_gets_403_on_admin_pages_and_admin_endpoints()
    {
        var viewer = await Host.CreateUserAsync("viewer-403@aigc.test", PortalRoles.Viewer);
        var pending = await Host.CreateUserAsync("pending-403@aigc.test");
        using var client = Host.NewClient();
        await client.SignInOrFailAsync(viewer.Email!, TestUsers.Password);

        foreach (var path in new[] { "/admin/users", "/admin/invites", "/admin/audit", "/studio", "/ads" })
        {
            var page = await client.GetAsync(path);
            Assert.True(page.StatusCode == HttpStatusCode.Forbidden, $"{path}: {(int)page.StatusCode}");
            Assert.Contains("data-testid=\"error-403\"", await page.Content.ReadAsStringAsync());
        }

        // The services the admin pages call check the caller too: hiding a page is not the guard.
        var administration = Host.Services.GetRequiredService<UserAdministration>();
        var asViewer = await Host.PrincipalOfAsync(viewer.Email!);
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => administration.LockAsync(asViewer, pending.Id));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() =>
            administration.SetRolesAsync(asViewer, viewer.Id, [PortalRoles.Admin]));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() =>
            Host.Services.GetRequiredService<Aigc.Platform.Audit.AuditQueries>().PageAsync(asViewer, null, 0, 50));
        Assert.Null((await Host.FindUserAsync(pending.Email!)).LockoutEnd);
        Assert.DoesNotContain(PortalRoles.Admin, await Host.QueryAsync(db =>
            db.UserRoles.Where(r => r.UserId == viewer.Id).Join(db.Roles, r => r.RoleId, x => x.Id, (_, x) => x.Name!)
                .ToListAsync()));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/gallery")).StatusCode);
    }

    [Fact]
    public async Task Pages_show_only_the_navigation_the_role_allows()
    {
        var designer = await Host.CreateUserAsync("designer-nav@aigc.test", PortalRoles.Designer);
        using var client = Host.NewClient();
        await client.SignInOrFailAsync(designer.Email!, TestUsers.Password);
        var nav = (await client.GetPageAsync("/")).QuerySelector("[data-testid=main-nav]")!.TextContent;
        Assert.Contains("Studio", nav);
        Assert.Contains("Gallery", nav);
        Assert.DoesNotContain("Ads", nav);
        Assert.DoesNotContain("Admin", nav);
    }

    [Fact]
    public async Task A_user_approved_without_a_role_is_told_so_instead_of_an_empty_home_page()
    {
        var roleless = await Host.CreateUserAsync("no-role@aigc.test");
        using var client = Host.NewClient();
        await client.SignInOrFailAsync(roleless.Email!, TestUsers.Password);
        var home = await client.GetPageAsync("/");
        Assert.Contains("no role yet", home.QuerySelector("[data-testid=no-roles]")!.TextContent);
        Assert.Null(home.QuerySelector("[data-testid=feature-cards]"));

        var designer = await Host.CreateUserAsync("has-role@aigc.test", PortalRoles.Designer);
        using var other = Host.NewClient();
        await other.SignInOrFailAsync(designer.Email!, TestUsers.Password);
        var cards = await other.GetPageAsync("/");
        Assert.Null(cards.QuerySelector("[data-testid=no-roles]"));
        Assert.Contains("Studio", cards.QuerySelector("[data-testid=feature-cards]")!.TextContent);
    }

    [Fact]
    public async Task Every_response_carries_the_security_headers()
    {
        using var client = Host.NewClient();
        var response = await client.GetAsync("/account/login");
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        var directives = csp.Split(';', StringSplitOptions.TrimEntries).ToDictionary(d => d.Split(' ')[0]);
        // Scripts only from our files; styles may be inline because MudBlazor writes style attributes (decision 0015).
        Assert.Equal("script-src 'self'", directives["script-src"]);
        Assert.Equal("style-src 'self' 'unsafe-inline'", directives["style-src"]);
        Assert.DoesNotContain("unsafe-eval", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotMatch(@"<script(?![^>]*\bsrc=)[^>]*>", html);
    }

    [Fact]
    public async Task Unknown_pages_get_a_404_page_in_the_shell()
    {
        using var client = Host.NewClient();
        await client.SignInOrFailAsync(PortalHost.AdminEmail, PortalHost.AdminPassword);
        var response = await client.GetAsync("/no/such/page");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var page = PortalClient.Parse(await response.Content.ReadAsStringAsync());
        Assert.NotNull(page.QuerySelector("[data-testid=error-404]"));
        Assert.NotNull(page.QuerySelector("[data-testid=main-nav]"));
    }
}

public sealed class PortalHostFixture : IAsyncLifetime
{
    public PortalHost Host { get; } = new();

    public Task InitializeAsync()
    {
        _ = Host.BaseAddress;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    [Fact]
    public async Task Datasets_and_training_runs_are_open_to_trainers_and_admins_only()
    {
        var trainer = await Host.CreateUserAsync("trainer-access@aigc.test", PortalRoles.Trainer);
        var designer = await Host.CreateUserAsync("designer-training@aigc.test", PortalRoles.Designer);
        using var asTrainer = Host.NewClient();
        await asTrainer.SignInOrFailAsync(trainer.Email!, TestUsers.Password);
        using var asDesigner = Host.NewClient();
        await asDesigner.SignInOrFailAsync(designer.Email!, TestUsers.Password);

        foreach (var path in new[] { "/training/datasets", "/training/runs" })
        {
            Assert.Equal(HttpStatusCode.OK, (await asTrainer.GetAsync(path)).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await asDesigner.GetAsync(path)).StatusCode);
        }

        var nav = (await asTrainer.GetPageAsync("/")).QuerySelector("[data-testid=main-nav]")!.TextContent;
        Assert.Contains("Training", nav);
        Assert.DoesNotContain("Studio", nav);
        Assert.DoesNotContain("Admin", nav);
        Assert.Equal(HttpStatusCode.Forbidden, (await asTrainer.GetAsync("/admin/users")).StatusCode);
        // Unknown ids answer 404 to those who may look, 403 to those who may not.
        var sheet = $"/training/datasets/versions/{Guid.NewGuid()}/sheet";
        Assert.Equal(HttpStatusCode.NotFound, (await asTrainer.GetAsync(sheet)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await asDesigner.GetAsync(sheet)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await asTrainer.GetAsync($"/training/uploads/{Guid.NewGuid()}/preview")).StatusCode);
    }
}
