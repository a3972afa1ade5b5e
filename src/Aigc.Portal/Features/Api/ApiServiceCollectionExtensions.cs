using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aigc.Portal.Features.Api;

public static class ApiServiceCollectionExtensions
{
    public static IServiceCollection AddApi(this IServiceCollection services, IConfiguration configuration)
    {
        // "queued", "interactive", "active": enums as lower-case strings, in bodies and in the OpenAPI schemas.
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        return services;
    }
}
