using System.Net;
using Aigc.Platform.Accounts;
using Aigc.Portal.Features.Admin;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Portal.Tests;

public sealed class ErrorPageTests
{
    private const string Secret = "connection string with password=hunter2";

    [Fact]
    public async Task An_unhandled_error_shows_the_500_page_in_the_shell_without_details()
    {
        await using var host = new PortalHost(environment: "Production",
            services: s => s.AddScoped<UserAction>(_ => throw new InvalidOperationException(Secret)));
        var target = await host.CreateUserAsync("victim@aigc.test", PortalRoles.Viewer);
        using var admin = host.NewClient();
        await admin.SignInOrFailAsync(PortalHost.AdminEmail, PortalHost.AdminPassword);

        var page = await admin.GetPageAsync("/admin/users");
        var token = page.QuerySelector($"form[action='admin/users/{target.Id}/lock'] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var response = await admin.PostFormAsync($"/admin/users/{target.Id}/lock", [new("__RequestVerificationToken", token)]);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var document = PortalClient.Parse(html);
        Assert.NotNull(document.QuerySelector("[data-testid=error-500]"));
        Assert.NotNull(document.QuerySelector("[data-testid=main-nav]"));
        Assert.DoesNotContain("hunter2", html);
        Assert.DoesNotContain("InvalidOperationException", html);
        Assert.Contains(host.Logs, line => line.Contains("hunter2", StringComparison.Ordinal));
    }
}
