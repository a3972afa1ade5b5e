using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Ads;

public static class AdsServiceCollectionExtensions
{
    /// <summary>Registers the "Ads" options, brand kits, campaigns and the shared render capacity (needs AddPlatform).</summary>
    public static IServiceCollection AddAds(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AdsOptions>()
            .Bind(configuration.GetSection(AdsOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => new AdRenderCapacity(sp.GetRequiredService<IOptions<AdsOptions>>().Value.RenderConcurrency));
        services.AddSingleton(sp => new AdPreviews(sp.GetRequiredService<IOptions<AdsOptions>>().Value.PreviewCacheBytes));
        services.AddScoped<BrandKits>();
        services.AddScoped<AdCampaigns>();
        services.AddSingleton<ProductShots>();
        return services;
    }
}
