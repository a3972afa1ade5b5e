namespace Aigc.Portal.Features.Models;

public static class ModelsServiceCollectionExtensions
{
    /// <summary>Admin › Models and the status page: binds and validates "Registry".</summary>
    public static IServiceCollection AddModelAdmin(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RegistryOptions>()
            .Bind(configuration.GetSection(RegistryOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddScoped<ModelUpload>();
        return services;
    }
}
