using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aigc.Portal.Features.Api;

public static class ApiServiceCollectionExtensions
{
    public static IServiceCollection AddApi(this IServiceCollection services, IConfiguration configuration)
    {
        // "queued", "interactive", "active": enums as lower-case strings, in bodies and in the OpenAPI schemas.
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        // After AddAccounts: the selector becomes the default scheme, so /api answers bearer tokens as well as the cookie.
        services.AddAuthentication(ApiTokenAuthentication.SelectorScheme).AddApiTokens();
        return services;
    }
}
