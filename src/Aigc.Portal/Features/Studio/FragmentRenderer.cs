using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;

namespace Aigc.Portal.Features.Studio;

/// <summary>Renders a component to HTML outside a page, for the fragments streamed as Server-Sent Events.</summary>
public sealed class FragmentRenderer(IServiceProvider services, ILoggerFactory loggers) : IAsyncDisposable
{
    private readonly HtmlRenderer _renderer = new(services, loggers);

    public Task<string> RenderAsync<TComponent>(IDictionary<string, object?> parameters) where TComponent : IComponent =>
        _renderer.Dispatcher.InvokeAsync(async () =>
            (await _renderer.RenderComponentAsync<TComponent>(ParameterView.FromDictionary(parameters))).ToHtmlString());

    public ValueTask DisposeAsync() => _renderer.DisposeAsync();
}
