using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Platform.Studio;

public static class StudioServiceCollectionExtensions
{
    /// <summary>The Studio's services (needs AddPlatform, AddGallery and AddImaging).</summary>
    public static IServiceCollection AddStudio(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StudioOptions>()
            .Bind(configuration.GetSection(StudioOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<ConditionSamples>();
        services.AddSingleton<StudioService>();
        return services;
    }
}
