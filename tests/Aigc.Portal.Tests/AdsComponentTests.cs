using Aigc.Platform.Accounts;
using Aigc.Platform.Ads;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Aigc.Portal.Features.Ads;
using Bunit;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;

namespace Aigc.Portal.Tests;

/// <summary>The Ads components: the composer's debounced preview, logo limits and another user's campaign.</summary>
public sealed class AdsComponentTests(AdsHostFixture fixture) : IClassFixture<AdsHostFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private PortalHost Host => fixture.Host;

    [Fact]
    public async Task Typing_renders_one_preview_once_the_form_is_still_not_one_per_key()
    {
        await KitAsync("Debounce");
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var ctx = await ContextAsync("marketer@aigc.test", services => services.AddSingleton<TimeProvider>(time));
        var cut = ctx.RenderWithProviders<Composer>();
        // The first preview renders at once, without waiting.
        cut.WaitForAssertion(() => Assert.NotNull(cut.Find("[data-testid=ad-preview] img")), Patience);
        var first = cut.Find("[data-testid=ad-preview] img").GetAttribute("src");

        // Each key as the headline field reports it (MudBlazor's own input plumbing is not under test here).
        var headline = cut.FindComponents<MudTextField<string>>()[0];
        foreach (var typed in new[] { "G", "Ge", "Gea", "Gear", "Gears" })
            await cut.InvokeAsync(() => headline.Instance.ValueChanged.InvokeAsync(typed));
        time.Advance(Composer.Quiet - TimeSpan.FromMilliseconds(1));
        Assert.Equal(first, cut.Find("[data-testid=ad-preview] img").GetAttribute("src"));
        Assert.Empty(cut.FindAll("[data-testid=preview-busy]"));

        time.Advance(TimeSpan.FromMilliseconds(1));
        cut.WaitForAssertion(() =>
        {
            Assert.NotEqual(first, cut.Find("[data-testid=ad-preview] img").GetAttribute("src"));
            Assert.Empty(cut.FindAll("[data-testid=preview-busy]"));
        }, Patience);
        // Only the last render is kept; the first preview was replaced.
        var user = await Host.FindUserAsync("marketer@aigc.test");
        var previews = Host.Services.GetRequiredService<AdPreviews>();
        Assert.Null(previews.Find(Guid.Parse(first!.Split('/')[^1]), user.Id));
        var latest = cut.Find("[data-testid=ad-preview] img").GetAttribute("src")!;
        Assert.NotNull(previews.Find(Guid.Parse(latest.Split('/')[^1]), user.Id));
    }

    [Fact]
    public async Task A_logo_over_the_limit_gets_a_clear_message_and_nothing_is_saved()
    {
        var max = Host.Services.GetRequiredService<IOptions<AdsOptions>>().Value.MaxLogoBytes;
        await using var ctx = await ContextAsync("marketer@aigc.test");
        var cut = ctx.RenderWithProviders<BrandKitsPage>();
        // The form appears once the kits are read (asynchronously on PostgreSQL).
        cut.WaitForElement("[data-testid=kit-form]", Patience);
        var fields = cut.FindComponents<MudTextField<string>>();
        fields[0].Find("input").Change("Limits");
        fields[1].Find("input").Change("Huge logo");
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(new byte[max + 1], "huge.png",
            contentType: "image/png"));
        Assert.Contains($"The logo huge.png is {max + 1:N0} bytes; logos may be at most {max:N0} bytes.",
            cut.Find("[data-testid=logo-problem]").TextContent);

        cut.Find("[data-testid=save-kit]").Click();
        cut.WaitForAssertion(() => Assert.Contains("huge.png", cut.Find("[data-testid=logo-problem]").TextContent), Patience);
        Assert.False(await Host.QueryAsync(db => db.BrandKits.AnyAsync(k => k.Team == "Limits")));

        // The same form with a logo inside the limit saves.
        cut.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromBinary(SvgLogo, "logo.svg", contentType: "image/svg+xml"));
        Assert.Empty(cut.FindAll("[data-testid=logo-problem]"));
        Assert.Contains("logo.svg", cut.Find("[data-testid=logo-chosen]").TextContent);
        cut.Find("[data-testid=save-kit]").Click();
        cut.WaitForAssertion(() => Assert.Contains(cut.FindAll("[data-testid=brand-kit]"), k => k.TextContent.Contains("Huge logo")), Patience);
        Assert.Equal("image/svg+xml", await Host.QueryAsync(db => db.BrandKits.Where(k => k.Team == "Limits").Select(k => k.LogoContentType).SingleAsync()));
    }

    [Fact]
    public async Task Another_users_campaign_shows_not_found_like_a_missing_one()
    {
        var kit = await KitAsync("Access");
        var owner = await Host.FindUserAsync("marketer@aigc.test");
        AdCampaign campaign;
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            campaign = await scope.ServiceProvider.GetRequiredService<AdCampaigns>().SaveAsync(null, new CampaignForm(
                "Private launch", kit.Id, "hero", "Secret headline", null, "Buy", null, null, ["300x250"], [fixture.Blueprint.Id]),
                new Requester(owner.Id, [PortalRoles.Marketer]));
        }

        await using (var mine = await ContextAsync("marketer@aigc.test"))
        {
            var page = mine.RenderWithProviders<CampaignPage>(p => p.Add(c => c.Id, campaign.Id));
            page.WaitForAssertion(() => Assert.Equal("Private launch", page.Find("[data-testid=campaign-name]").TextContent), Patience);
        }

        await using var theirs = await ContextAsync("marketer2@aigc.test");
        var other = theirs.RenderWithProviders<CampaignPage>(p => p.Add(c => c.Id, campaign.Id));
        other.WaitForAssertion(() => Assert.NotNull(other.Find("[data-testid=campaign-missing]")), Patience);
        Assert.DoesNotContain("Private launch", other.Markup);
        Assert.DoesNotContain("Secret headline", other.Markup);
        Assert.Empty(other.FindAll("[data-testid=render-again]"));
        var missing = theirs.RenderWithProviders<CampaignPage>(p => p.Add(c => c.Id, Guid.NewGuid()));
        missing.WaitForAssertion(() => Assert.Equal(
            missing.Find("[data-testid=campaign-missing]").TextContent, other.Find("[data-testid=campaign-missing]").TextContent), Patience);
    }

    private static readonly byte[] SvgLogo = """
        <svg xmlns="http://www.w3.org/2000/svg" width="64" height="32"><rect width="64" height="32" fill="#0b4f9c"/></svg>
        """u8.ToArray();

    private async Task<PortalComponentContext> ContextAsync(string email, Action<IServiceCollection>? services = null) =>
        new(Host, await Host.FindUserAsync(email), [PortalRoles.Marketer], services);

    private async Task<BrandKit> KitAsync(string team)
    {
        var user = await Host.FindUserAsync("marketer@aigc.test");
        var actor = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
            [new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, user.Id)], "test"));
        await using var scope = Host.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BrandKits>().SaveAsync(null,
            new BrandKitForm(team, "Kit", "#0b4f9c", "#f59e0b", "#f8fafc", "Inter", "Learn more"), null, false, actor);
    }
}
