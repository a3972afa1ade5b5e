using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aigc.Neural;

public static class NeuralServiceCollectionExtensions
{
    /// <summary>Binds and validates "Neural" and registers one <see cref="NeuralEngine"/> for the process.</summary>
    public static IServiceCollection AddNeural(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NeuralOptions>()
            .Bind(configuration.GetSection(NeuralOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => new NeuralEngine(sp.GetRequiredService<IOptions<NeuralOptions>>().Value));
        return services;
    }
}
