using Aigc.Imaging;
using Aigc.Neural;
using Aigc.Observability;
using Aigc.Platform;
using Aigc.Platform.Ads;
using Aigc.Platform.Gallery;
using Aigc.Platform.Studio;
using Aigc.Portal.Components;
using Aigc.Portal.Features.Account;
using Aigc.Portal.Features.Admin;
using Aigc.Portal.Features.Api;
using Aigc.Portal.Features.Ads;
using Aigc.Portal.Features.Errors;
using Aigc.Portal.Features.Gallery;
using Aigc.Portal.Features.Models;
using Aigc.Portal.Features.Studio;
using Aigc.Portal.Features.Training;
using Aigc.Portal.Web;

var builder = WebApplication.CreateBuilder(args);
builder.Configuration.AddAigcEnvironment();

builder.Services.AddNeural(builder.Configuration);
builder.Services.AddImaging(builder.Configuration);
builder.Services.AddPlatform(builder.Configuration);
builder.Services.AddGenerationWorker();
builder.Services.AddObservability(builder.Configuration);
builder.Services.AddAds(builder.Configuration);
builder.Services.AddGallery(builder.Configuration);
builder.Services.AddAccounts(builder.Configuration);
builder.Services.AddPortalAuthorization();
builder.Services.AddApi(builder.Configuration);
builder.Services.AddStudio(builder.Configuration);
builder.Services.AddInteractiveUi(builder.Configuration);
builder.Services.AddReverseProxyHeaders(builder.Configuration);
builder.Services.AddCascadingAuthenticationState();
builder.Services.AddHttpContextAccessor();
builder.Services.AddProblemDetails();

var app = builder.Build();

await app.PrepareDatabaseAsync();
app.UseReverseProxyHeaders();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/error/500", createScopeForErrors: true);
}

// A fresh scope: a page that answers 404 while rendering (NavigationManager.NotFound) has used its own.
app.UseStatusCodePagesWithReExecute("/error/{0}", createScopeForStatusCodePages: true);
app.UseSecurityHeaders();
app.UseRequestLocalization();
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.UseMustChangePassword();
app.UseAntiforgery();

app.MapStaticAssets().AllowAnonymous();
app.MapPortalHealth();
app.MapObservability(PortalPolicies.Admin);
app.MapErrorPages();
app.MapAccountEndpoints();
app.MapPreferenceEndpoints();
app.MapModelEndpoints();
app.MapBlueprintFileEndpoints();
app.MapApiEndpoints();
app.MapAdsEndpoints();
app.MapStudioEndpoints();
app.MapGalleryEndpoints();
app.MapTrainingEndpoints();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();

public partial class Program;
