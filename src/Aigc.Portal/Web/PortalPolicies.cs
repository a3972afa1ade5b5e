using Aigc.Platform.Accounts;

namespace Aigc.Portal.Web;

/// <summary>One policy per feature. Pages and endpoints name a policy, never roles directly.</summary>
public static class PortalPolicies
{
    public const string Admin = "Admin";
    public const string Studio = "Studio";
    public const string Gallery = "Gallery";
    public const string Ads = "Ads";
    public const string Training = "Training";

    public static IServiceCollection AddPortalAuthorization(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new Microsoft.AspNetCore.Authorization.AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Admin, p => p.RequireRole(PortalRoles.Admin))
            .AddPolicy(Studio, p => p.RequireRole(Aigc.Platform.Queue.GenerationPolicy.Roles))
            .AddPolicy(Gallery, p => p.RequireRole(PortalRoles.Admin, PortalRoles.Designer, PortalRoles.Marketer, PortalRoles.Viewer))
            .AddPolicy(Ads, p => p.RequireRole(PortalRoles.Admin, PortalRoles.Marketer))
            .AddPolicy(Training, p => p.RequireRole(Aigc.Platform.Training.TrainingAccess.Roles));
        return services;
    }
}
