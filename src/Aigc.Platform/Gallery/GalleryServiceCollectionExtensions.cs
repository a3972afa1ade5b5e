using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Platform.Gallery;

public static class GalleryServiceCollectionExtensions
{
    /// <summary>Gallery queries, curation, collections, thumbnail sizes and the purge of deleted blueprints (needs AddPlatform).</summary>
    public static IServiceCollection AddGallery(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GalleryOptions>()
            .Bind(configuration.GetSection(GalleryOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddScoped<GalleryQueries>();
        services.AddScoped<Curation>();
        services.AddScoped<CollectionCuration>();
        services.AddScoped<ThumbnailSizes>();
        services.AddSingleton<GalleryService>();
        services.AddSingleton<BlueprintPurge>();
        services.AddHostedService(sp => sp.GetRequiredService<BlueprintPurge>());
        return services;
    }
}
