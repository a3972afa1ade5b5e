namespace Aigc.Portal.Features.Api;

/// <summary>Personal API tokens: "Authorization: Bearer aigc_…", for /api only.</summary>
public static class ApiTokenAuthentication
{
    public const string Scheme = "ApiToken";
}
