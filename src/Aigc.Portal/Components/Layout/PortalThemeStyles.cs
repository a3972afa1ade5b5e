using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MudBlazor;

namespace Aigc.Portal.Components.Layout;

/// <summary>
/// MudBlazor's theme as its <c>&lt;style&gt;</c> elements, rendered once per process for each mode and shared by every
/// page. A <see cref="MudThemeProvider"/> in the layout built the same 12,500 characters for each circuit and kept a
/// copy of the theme: ~105 KB of managed memory per circuit, a third of the layout's (docs/benchmarks.md).
/// </summary>
public sealed class PortalThemeStyles(IServiceProvider services, ILoggerFactory loggers) : IHostedService
{
    private MarkupString? _light;
    private MarkupString? _dark;

    public MarkupString For(bool dark) => (dark ? _dark : _light)
        ?? throw new InvalidOperationException("The theme's styles are rendered when the portal starts.");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        await using var renderer = new HtmlRenderer(scope.ServiceProvider, loggers);
        _light = await RenderAsync(renderer, dark: false);
        _dark = await RenderAsync(renderer, dark: true);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static Task<MarkupString> RenderAsync(HtmlRenderer renderer, bool dark) =>
        renderer.Dispatcher.InvokeAsync(async () =>
        {
            var parameters = ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(MudThemeProvider.Theme)] = PortalTheme.Instance,
                [nameof(MudThemeProvider.IsDarkMode)] = dark,
            });
            var html = await renderer.RenderComponentAsync<MudThemeProvider>(parameters);
            return new MarkupString(html.ToHtmlString());
        });
}
