namespace Aigc.Portal.Features.Studio;

public static class StudioServiceCollectionExtensions
{
    public static IServiceCollection AddStudio(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StudioOptions>()
            .Bind(configuration.GetSection(StudioOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<SampleThumbnails>();
        services.AddScoped<FragmentRenderer>();
        return services;
    }
}
