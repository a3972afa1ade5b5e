using System.Security.Claims;
using System.Text.Encodings.Web;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Aigc.Portal.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Aigc.Portal.Features.Api;

/// <summary>
/// Personal API tokens ("Authorization: Bearer aigc_…") for /api, the OpenAPI document and /metrics only; pages ignore
/// them.
/// Each request reads the token and its owner afresh, so revoking, locking or a role change applies to the next call.
/// </summary>
public static class ApiTokenAuthentication
{
    public const string Scheme = "ApiToken";

    /// <summary>Chooses per request: a bearer token on /api or /openapi, else the sign-in cookie.</summary>
    public const string SelectorScheme = "CookieOrApiToken";

    public const string TokenIdClaim = "aigc:api_token";

    public static AuthenticationBuilder AddApiTokens(this AuthenticationBuilder authentication)
    {
        authentication.AddScheme<AuthenticationSchemeOptions, Handler>(Scheme, null);
        authentication.AddPolicyScheme(SelectorScheme, null, policy => policy.ForwardDefaultSelector = context =>
            context.Request.IsApi() && BearerToken(context.Request) is not null
                ? Scheme
                : IdentityConstants.ApplicationScheme);
        return authentication;
    }

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    private sealed class Handler(
        IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
        ApiTokens tokens, UserManager<PortalUser> users, IUserClaimsPrincipalFactory<PortalUser> claims, IProblemDetailsService problems)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (BearerToken(Request) is not { } presented)
                return AuthenticateResult.NoResult();
            var token = await tokens.FindLiveAsync(presented, Context.RequestAborted);
            if (token is null)
                return AuthenticateResult.Fail("The API token is unknown, revoked or expired.");
            var user = await users.FindByIdAsync(token.UserId);
            if (user is null || user.ApprovedAt is null || await users.IsLockedOutAsync(user))
                return AuthenticateResult.Fail("The API token's account is locked or not approved.");

            // The owner's current roles and claims, under this scheme's name so the API can tell tokens from cookies.
            var principal = await claims.CreateAsync(user);
            var identity = new ClaimsIdentity(principal.Claims, ApiTokenAuthentication.Scheme, ClaimTypes.Name, ClaimTypes.Role);
            identity.AddClaim(new Claim(TokenIdClaim, token.Id.ToString()));
            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ApiTokenAuthentication.Scheme));
        }

        protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
        {
            var result = await HandleAuthenticateOnceSafeAsync();
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = Context,
                ProblemDetails = { Status = StatusCodes.Status401Unauthorized, Title = "Unauthorized", Detail = result.Failure?.Message ?? "An API token is required." },
            });
        }
    }
}
