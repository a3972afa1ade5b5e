using Aigc.Platform.Accounts;
using Aigc.Portal.Features.Account;
using Bunit;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace Aigc.Portal.Tests;

/// <summary>The account page's API token panel: a new token shown once with a copy button, revoke after a confirmation.</summary>
public sealed class AccountComponentTests(PortalHostFixture fixture) : IClassFixture<PortalHostFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private PortalHost Host => fixture.Host;

    [Fact]
    public async Task A_new_token_is_shown_once_with_a_copy_button_that_copies_it()
    {
        var user = await Host.CreateUserAsync("panel-copy@aigc.test", PortalRoles.Designer);
        await using var ctx = new PortalComponentContext(Host, user, [PortalRoles.Designer]);
        var module = ctx.JSInterop.SetupModule("./Features/Account/ApiTokenPanel.razor.js");
        var panel = ctx.RenderWithProviders<ApiTokenPanel>();
        Assert.Empty(panel.FindAll("[data-testid=token-copy]"));

        panel.FindComponents<MudTextField<string>>()[0].Find("input").Change("nightly batch");
        await panel.InvokeAsync(() => panel.Find("[data-testid=token-create-button]").Click());
        panel.WaitForAssertion(() => Assert.StartsWith("aigc_", panel.Find("[data-testid=token-secret]").TextContent), Patience);
        var secret = panel.Find("[data-testid=token-secret]").TextContent;
        var stored = await Host.QueryAsync(db => db.ApiTokens.SingleAsync(t => t.UserId == user.Id));
        Assert.Equal(secret[5..13], stored.Prefix);

        await panel.InvokeAsync(() => panel.Find("[data-testid=token-copy]").Click());
        panel.WaitForAssertion(() => Assert.Equal(secret, module.VerifyInvoke("copyText").Arguments.Single()), Patience);

        // Shown once: the next visit lists the token by its prefix only.
        var again = ctx.RenderWithProviders<ApiTokenPanel>();
        again.WaitForAssertion(() => Assert.Contains("nightly batch", again.Find("[data-testid=token-row]").TextContent), Patience);
        Assert.Empty(again.FindAll("[data-testid=token-secret]"));
        Assert.DoesNotContain(secret[14..], again.Markup);
    }

    // Find and click in one renderer turn: the panel may render again between the two (it reloads its list after a
    // change, later on a slower database), and a click on the old render's handler is lost.
    [Fact]
    public async Task Revoking_asks_first_and_cancelling_keeps_the_token()
    {
        var user = await Host.CreateUserAsync("panel-revoke@aigc.test", PortalRoles.Designer);
        await using var ctx = new PortalComponentContext(Host, user, [PortalRoles.Designer]);
        var panel = ctx.RenderWithProviders<ApiTokenPanel>();
        panel.FindComponents<MudTextField<string>>()[0].Find("input").Change("to revoke");
        await panel.InvokeAsync(() => panel.Find("[data-testid=token-create-button]").Click());
        panel.WaitForAssertion(() => Assert.NotNull(panel.Find("[data-testid=token-revoke]")), Patience);
        await panel.InvokeAsync(() => panel.Find("[data-testid=token-revoke]").Click());
        var dialog = ctx.Dialogs;
        dialog.WaitForAssertion(() => Assert.Contains("Revoke the token “to revoke”?", dialog.Markup), Patience);
        dialog.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click();
        dialog.WaitForAssertion(() => Assert.DoesNotContain("Revoke the token", dialog.Markup), Patience);
        Assert.Null(await Host.QueryAsync(db => db.ApiTokens.Where(t => t.UserId == user.Id).Select(t => t.RevokedAt).SingleAsync()));

        await panel.InvokeAsync(() => panel.Find("[data-testid=token-revoke]").Click());
        dialog.WaitForAssertion(() => Assert.Contains("Revoke the token “to revoke”?", dialog.Markup), Patience);
        dialog.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Revoke").Click();
        panel.WaitForAssertion(() => Assert.Contains("Revoked", panel.Find("[data-testid=token-row]").TextContent), Patience);
        Assert.NotNull(await Host.QueryAsync(db => db.ApiTokens.Where(t => t.UserId == user.Id).Select(t => t.RevokedAt).SingleAsync()));
    }
}
