using Aigc.Platform.Models;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Aigc.Portal.Features.Models;

/// <summary>One version: its sample grid (an HTTP resource), card, conditions, metrics and licence.</summary>
public sealed partial class ModelDetailPage
{
    private ModelVersionDetail? _detail;
    private ModelMetrics? _metrics;
    private string? _metricsError;
    private bool _loaded;
    private List<BreadcrumbItem> _crumbs = [];

    [Parameter] public string Sha { get; set; } = "";

    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    protected override async Task OnParametersSetAsync()
    {
        var admin = (await AuthenticationState).User;
        _detail = await Models.DetailAsync(admin, Sha);
        _metrics = null;
        _metricsError = null;
        if (_detail is { Version: var version })
        {
            _crumbs =
            [
                new BreadcrumbItem(T["Models"], "admin/models"),
                new BreadcrumbItem(version.Name, null, disabled: true),
            ];
            try
            {
                _metrics = ModelMetrics.Parse(version.MetricsJson);
            }
            catch (System.Text.Json.JsonException e)
            {
                _metricsError = T["MetricsNotReadable", e.Message];
            }
        }

        _loaded = true;
    }
}
