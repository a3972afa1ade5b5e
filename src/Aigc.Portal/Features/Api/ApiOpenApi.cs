using Microsoft.OpenApi;

namespace Aigc.Portal.Features.Api;

/// <summary>The OpenAPI document at /openapi/v1.json: the /api endpoints only, with both ways to authenticate.</summary>
internal static class ApiOpenApi
{
    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApi(options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("api/", StringComparison.Ordinal) == true;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Aigc Portal API",
                    Version = "v1",
                    Description = "Generate blueprints, follow jobs, fetch images. Errors are application/problem+json. "
                                  + "Authenticate with a personal API token (account page) or the portal's session cookie; "
                                  + "cookie calls that change state need the RequestVerificationToken header.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes["token"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    Description = "A personal API token, aigc_PREFIX_SECRET, created on the account page.",
                };
                document.Components.SecuritySchemes["cookie"] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Cookie,
                    Name = "aigc.auth",
                    Description = "The portal's sign-in cookie.",
                };
                document.Security =
                [
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("token", document)] = [] },
                    new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("cookie", document)] = [] },
                ];
                return Task.CompletedTask;
            });
        });
}
