using System.Text.Json;
using System.Text.Json.Serialization;

namespace Aigc.Portal.Features.Api;

public static class ApiServiceCollectionExtensions
{
    public static IServiceCollection AddApi(this IServiceCollection services, IConfiguration configuration)
    {
        // "queued", "interactive", "active": enums as lower-case strings, in bodies and in the OpenAPI schemas.
        // Numbers strictly as JSON numbers, which the OpenAPI schemas then say too (the web default also reads "4").
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        // After AddAccounts: the selector becomes the default scheme, so /api answers bearer tokens as well as the cookie.
        services.AddAuthentication(ApiTokenAuthentication.SelectorScheme).AddApiTokens();
        services.AddApiDocument();
        return services;
    }
}
