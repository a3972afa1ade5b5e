using System.Globalization;
using System.Security.Claims;
using Aigc.Platform.Data;
using Aigc.Platform.Models;
using Aigc.Portal.Components;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Aigc.Portal.Features.Models;

/// <summary>Model versions by name with their actions; each asks the admin to confirm, then the registry.</summary>
public sealed partial class ModelsPage
{
    private IReadOnlyList<ModelGroup> _groups = [];
    private IReadOnlyList<ShippedUpscaler> _upscalers = [];
    private ClaimsPrincipal _admin = new();
    private bool _loaded;

    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override async Task OnInitializedAsync()
    {
        _admin = (await AuthenticationState).User;
        await ReloadAsync();
    }

    private async Task ReloadAsync()
    {
        _groups = await Models.GroupsAsync(_admin);
        _upscalers = Models.Upscalers(_admin);
        _loaded = true;
    }

    private string LineF1(ShippedUpscaler upscaler) =>
        upscaler is { DegradedF1: { } degraded, CleanF1: { } clean }
            ? T["LineF1Value", degraded.ToString("F3", CultureInfo.CurrentCulture), clean.ToString("F3", CultureInfo.CurrentCulture)]
            : "—";

    private async Task ActivateAsync(ModelVersion version)
    {
        if (await ConfirmAsync(T["ActivateTitle", Label(version)], T["ActivateQuestion", version.Name, version.Version],
                T["Activate"]))
        {
            await ShowAsync(await Models.ActivateAsync(_admin, version.WeightsSha256),
                done => T["Activated", Label(done)]);
        }
    }

    private async Task RetireAsync(ModelVersion version)
    {
        if (await ConfirmAsync(T["RetireTitle", Label(version)], T["RetireQuestion", Label(version)], T["Retire"]))
        {
            await ShowAsync(await Models.RetireAsync(_admin, version.WeightsSha256), done => T["Retired", Label(done)]);
        }
    }

    private async Task RollBackAsync(ModelGroup group, ModelVersion target)
    {
        if (await ConfirmAsync(T["RollBackTitle", group.Name], T["RollBackQuestion", group.Name, target.Version],
                T["RollBack"]))
        {
            await ShowAsync(await Models.RollBackAsync(_admin, group.Name), done => T["RolledBack", Label(done)]);
        }
    }

    private async Task RestrictAsync(ModelVersion version, IReadOnlyCollection<string>? roles)
    {
        var chosen = (roles ?? []).ToList();
        await ShowAsync(await Models.RestrictAsync(_admin, version.WeightsSha256, chosen), done => chosen.Count == 0
            ? T["OpenToAll", Label(done)]
            : T["OpenToSome", Label(done), string.Join(", ", chosen)]);
    }

    private async Task<bool> ConfirmAsync(string title, string question, string yes) =>
        await Dialogs.ShowMessageBoxAsync(title, question, yesText: yes, cancelText: T["Cancel"]) == true;

    private async Task ShowAsync(ModelActionResult result, Func<ModelVersion, string> done)
    {
        var (message, severity) = result switch
        {
            { Outcome: ModelActionOutcome.Done, Version: { } version } => (done(version), Severity.Success),
            { Outcome: ModelActionOutcome.Refused } => (T["Refused", result.Reason is { } reason ? R.Say(reason) : ""].Value, Severity.Error),
            _ => (T["VersionGone"].Value, Severity.Warning),
        };
        Snackbar.Add(message, severity);
        await ReloadAsync();
    }

    private static string Label(ModelVersion version) => $"{version.Name}@{version.Version}";

    private string? Summary(ModelVersion version)
    {
        try
        {
            return ModelMetrics.Parse(version.MetricsJson)?.Summary;
        }
        catch (System.Text.Json.JsonException)
        {
            return T["MetricsUnreadable"];
        }
    }

    /// <summary>A file size for people, in the current culture.</summary>
    internal static string FileSize(long bytes, Microsoft.Extensions.Localization.IStringLocalizer<ModelsText> t) =>
        bytes >= 1024 * 1024
            ? t["Megabytes", (bytes / (1024.0 * 1024)).ToString("N1", CultureInfo.CurrentCulture)]
            : t["Kilobytes", (bytes / 1024.0).ToString("N0", CultureInfo.CurrentCulture)];

    private string FileSize(long bytes) => FileSize(bytes, T);
}
