using System.Security.Claims;
using Aigc.Platform.Data;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;

namespace Aigc.Portal.Tests;

/// <summary>
/// A bUnit context for one signed-in user whose Platform services come from a real portal (its database and files):
/// components are tested against the same access checks the pages use. MudBlazor's providers are rendered with the
/// component, so dialogs, popovers and snackbars work; JS calls are recorded (loose mode).
/// </summary>
public sealed class PortalComponentContext : BunitContext
{
    private readonly AsyncServiceScope _scope;

    public PortalComponentContext(PortalHost host, PortalUser user, string[] roles,
        Action<IServiceCollection>? configure = null)
    {
        _scope = host.Services.CreateAsyncScope();
        configure?.Invoke(Services);
        Services.AddMudServices();
        Services.AddLocalization();
        Services.AddFallbackServiceProvider(_scope.ServiceProvider);
        JSInterop.Mode = JSRuntimeMode.Loose;
        var auth = AddAuthorization();
        auth.SetAuthorized(user.Email!);
        auth.SetRoles(roles);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, user.Id), new Claim(ClaimTypes.Name, user.Email!));
        // As over a live circuit: the components run interactively in the portal.
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    /// <summary>MudBlazor's dialog provider: dialogs open here, outside the component that asked.</summary>
    public IRenderedComponent<MudDialogProvider> Dialogs { get; private set; } = default!;

    /// <summary>Renders <typeparamref name="T"/> after MudBlazor's providers (same renderer and services), as the layout does.</summary>
    public IRenderedComponent<T> RenderWithProviders<T>(Action<ComponentParameterCollectionBuilder<T>>? parameters = null)
        where T : IComponent
    {
        if (Dialogs is null)
        {
            Render<MudPopoverProvider>();
            Dialogs = Render<MudDialogProvider>();
            Render<MudSnackbarProvider>();
        }

        return Render(parameters ?? (_ => { }));
    }

    protected override async ValueTask DisposeAsyncCore()
    {
        await base.DisposeAsyncCore();
        await _scope.DisposeAsync();
    }
}
