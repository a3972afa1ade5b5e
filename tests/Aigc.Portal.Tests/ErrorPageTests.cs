using System.Net;
using Aigc.Platform.Accounts;
using Aigc.Platform.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Portal.Tests;

public sealed class ErrorPageTests
{
    private const string Secret = "connection string with password=hunter2";

    [Fact]
    public async Task An_unhandled_error_shows_the_500_page_in_the_shell_without_details()
    {
        // Armed after sign-in, which audits too.
        var armed = new System.Runtime.CompilerServices.StrongBox<bool>();
        await using var host = new PortalHost(environment: "Production", services: s => s.AddScoped(sp => armed.Value
            ? throw new InvalidOperationException(Secret)
            : ActivatorUtilities.CreateInstance<AuditLog>(sp)));
        using var admin = host.NewClient();
        await admin.SignInOrFailAsync(PortalHost.AdminEmail, PortalHost.AdminPassword);

        armed.Value = true;

        // One antiforgery token serves every form of the session: take the sign-out form's.
        var page = await admin.GetPageAsync("/");
        var token = page.QuerySelector("form[action='account/logout'] input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        var response = await admin.PostFormAsync("/account/sign-out-everywhere", [new("__RequestVerificationToken", token)]);

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
