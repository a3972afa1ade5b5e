using System.Globalization;
using System.Security.Claims;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Aigc.Platform.Studio;
using Aigc.Portal.Features.Studio;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Aigc.Portal.Tests;

/// <summary>The Studio's components in bUnit: the condition form from a schema, and the page when the service
/// refuses.</summary>
public sealed class StudioComponentTests
{
    /// <summary>A bUnit context with MudBlazor and localization (disposed asynchronously: MudBlazor's services
    /// require it).</summary>
    private static BunitContext NewContext()
    {
        var context = new BunitContext();
        context.Services.AddMudServices();
        context.Services.AddLocalization();
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        return context;
    }

    [Fact]
    public async Task The_condition_form_has_a_chip_and_sample_per_value_a_slider_per_number_and_reports_a_choice()
    {
        await using var bunit = NewContext();
        bunit.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var model = new StudioModel("abc123", "parts", "v1", ModelVersionStatus.Active,
            [new StudioCondition("part", ["hex_nut", "spur_gear", "flange"]), new StudioCondition("size", null, 10,
                30)]);
        (string Name, string Value)? changed = null;
        var form = bunit.Render<ConditionForm>(p => p
            .Add(c => c.Model, model)
            .Add(c => c.Selected, new Dictionary<string, string> { ["part"] = "spur_gear" })
            .Add(c => c.SelectedChanged, change => changed = change));

        var chips = form.FindAll("[data-condition=part] [data-testid=chip]");
        Assert.Equal(["hex_nut", "spur_gear", "flange"], chips.Select(c => c.GetAttribute("data-value")));
        Assert.Equal(["false", "true", "false"], chips.Select(c => c.GetAttribute("data-selected")));
        Assert.Equal("studio/samples/abc123/part/flange", chips[2].QuerySelector("img")!.GetAttribute("src"));
        Assert.Contains("hex nut", chips[0].TextContent);
        Assert.Single(form.FindAll("[data-condition=size] [data-testid=slider]"));
        Assert.Equal("20", ConditionForm.ValueOf(model.Conditions[1], new Dictionary<string, string>()));
        Assert.Equal("30", ConditionForm.ValueOf(model.Conditions[1], new Dictionary<string,
            string> { ["size"] = "99" }));
        Assert.Equal("hex_nut", ConditionForm.ValueOf(model.Conditions[0], new Dictionary<string,
            string> { ["part"] = "sprocket" }));

        // One radio group per condition, the current value checked: what a keyboard moves through.
        var radios = form.FindAll("[data-condition=part] input[type=radio]");
        Assert.Equal(["condition-part"], radios.Select(r => r.GetAttribute("name")).Distinct());
        Assert.Equal([false, true, false], radios.Select(r => r.HasAttribute("checked")));
        form.FindAll("[data-condition=part] [data-testid=chip] input")[2].Change(true);
        Assert.Equal(("part", "flange"), changed);
    }

    [Fact]
    public async Task In_Chinese_the_shipped_conditions_are_translated_and_another_models_terms_shown_as_written()
    {
        var (before, beforeUi) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("zh-CN");
        try
        {
            await using var bunit = NewContext();
            bunit.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
            var model = new StudioModel("abc123", "parts", "v1", ModelVersionStatus.Active,
                [new StudioCondition("part", ["stepped_shaft", "flange"]), new StudioCondition("material",
                    ["cast_iron"])]);
            var form = bunit.Render<ConditionForm>(p => p
                .Add(c => c.Model, model)
                .Add(c => c.Selected, new Dictionary<string, string>()));

            Assert.Equal("零件", form.Find("[data-condition=part] legend").TextContent.Trim());
            Assert.Equal(["阶梯轴", "法兰"], form.FindAll("[data-condition=part] [data-testid=chip]")
                .Select(c => c.TextContent.Trim()));
            // The value sent is the manifest's term, whatever the words.
            Assert.Equal(["stepped_shaft", "flange"], form.FindAll("[data-condition=part] input")
                .Select(i => i.GetAttribute("value")));
            Assert.Equal("Material", form.Find("[data-condition=material] legend").TextContent.Trim());
            Assert.Equal("cast iron", form.Find("[data-condition=material] [data-testid=chip]").TextContent.Trim());
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (before, beforeUi);
        }
    }

    [Theory]
    [InlineData(PortalRoles.Marketer, false)]
    [InlineData(PortalRoles.Viewer, false)]
    [InlineData(PortalRoles.Designer, true)]
    public async Task The_page_asks_the_service_for_the_signed_in_user_and_shows_its_refusal(string role, bool allowed)
    {
        await using var host = new PortalHost(new Dictionary<string, string?> { ["Queue:RunWorker"] = "false" });
        var user = await host.CreateUserAsync($"studio-{role.ToLowerInvariant()}@aigc.test", role);
        await using var bunit = NewContext();
        bunit.Services.AddSingleton(host.Services.GetRequiredService<StudioService>());
        // The page's own policy attribute is not what refuses here: the service decides from the user it is given.
        bunit.AddAuthorization().SetAuthorized(user.Email!).SetRoles(role)
            .SetClaims(new Claim(ClaimTypes.NameIdentifier, user.Id));
        bunit.JSInterop.SetupModule("./Features/Studio/StudioPage.razor.js");
        bunit.SetRendererInfo(new RendererInfo("Server", isInteractive: true));

        var page = bunit.Render<StudioPage>();

        page.WaitForAssertion(() => Assert.Equal(allowed, page.FindAll("[data-testid=studio]").Count == 1));
        Assert.Equal(!allowed, page.FindAll("[data-testid=studio-refused]").Count == 1);
        Assert.Equal(allowed ? 3 : 0, page.FindAll("[data-testid=condition]").Count);
    }

    [Fact]
    public async Task Generate_puts_the_new_job_in_front_and_a_full_queue_says_so_next_to_the_button_queueing_nothing()
    {
        await using var host = new PortalHost(new Dictionary<string, string?>
        {
            ["Queue:RunWorker"] = "false", ["Queue:MaxQueuedImages"] = "6",
        });
        var user = await host.CreateUserAsync("studio-generate@aigc.test", PortalRoles.Designer);
        await using var bunit = NewContext();
        bunit.Services.AddSingleton(host.Services.GetRequiredService<StudioService>());
        bunit.Services.AddSingleton(host.Services.GetRequiredService<Aigc.Platform.Queue.JobProgressFeed>());
        bunit.AddAuthorization().SetAuthorized(user.Email!).SetRoles(PortalRoles.Designer)
            .SetClaims(new Claim(ClaimTypes.NameIdentifier, user.Id));
        bunit.JSInterop.SetupModule("./Features/Studio/StudioPage.razor.js");
        bunit.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var page = bunit.Render<StudioPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=studio]")));

        await page.Find("[data-testid=studio-form]").SubmitAsync();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=job-panel]")));
        Assert.Equal("Queued", page.Find("[data-testid=job-status]").GetAttribute("data-status"));

        // Four queued and four more asked for: the queue (six) is full.
        await page.Find("[data-testid=studio-form]").SubmitAsync();
        page.WaitForAssertion(() =>
            Assert.Matches(@"The queue is full; try again in about \d+ s\.",
                page.Find("[data-field=form]").TextContent));
        Assert.Single(page.FindAll("[data-testid=job-panel]"));
        Assert.Equal(1, await host.QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions
            .CountAsync(db.GenerationJobs)));
    }

    [Fact]
    public async Task A_Chinese_speaking_designer_is_told_their_daily_quota_in_Chinese()
    {
        await using var host = new PortalHost(new Dictionary<string, string?>
        {
            ["Queue:RunWorker"] = "false", ["Queue:DailyImageQuotas:Designer"] = "4",
        });
        var user = await host.CreateUserAsync("studio-quota@aigc.test", PortalRoles.Designer);
        var before = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("zh-Hans");
        try
        {
            await using var bunit = NewContext();
            bunit.Services.AddSingleton(host.Services.GetRequiredService<StudioService>());
            bunit.Services.AddSingleton(host.Services.GetRequiredService<Aigc.Platform.Queue.JobProgressFeed>());
            bunit.AddAuthorization().SetAuthorized(user.Email!).SetRoles(PortalRoles.Designer)
                .SetClaims(new Claim(ClaimTypes.NameIdentifier, user.Id));
            bunit.JSInterop.SetupModule("./Features/Studio/StudioPage.razor.js");
            bunit.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
            var page = bunit.Render<StudioPage>();
            page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=studio]")));

            // Four images use up the day's quota of four; the next four are refused in the user's language.
            await page.Find("[data-testid=studio-form]").SubmitAsync();
            page.WaitForAssertion(() => Assert.Single(page.FindAll("[data-testid=job-panel]")));
            await page.Find("[data-testid=studio-form]").SubmitAsync();
            page.WaitForAssertion(() => Assert.Contains(page.FindAll("[data-field]"), e =>
                e.TextContent.Contains("您的每日配额为 4 张图像（按 UTC 日计）；已用 4 张，剩余 0 张。", StringComparison.Ordinal)));
            Assert.DoesNotContain("daily quota", page.Markup, StringComparison.Ordinal);
            Assert.Single(page.FindAll("[data-testid=job-panel]"));
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = before;
        }
    }
}
