using System.Security.Claims;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aigc.Portal.Tests;

/// <summary>
/// The portal's claims factory skips Identity's user-claims and role-claims reads (the portal gives none). It must make
/// exactly the claims Identity's own factory makes, plus the portal's two: once someone gives a user or a role a claim,
/// this fails instead of the claim going unseen.
/// </summary>
public sealed class PortalClaimsTests(PortalHostFixture fixture) : IClassFixture<PortalHostFixture>
{
    [Fact]
    public async Task The_portal_principal_has_Identity_s_claims_for_a_user_with_two_roles_plus_its_own_two()
    {
        var user = await fixture.Host.CreateUserAsync("claims-two-roles@aigc.test", PortalRoles.Designer,
            PortalRoles.Marketer);
        var (portal, identity) = await BothAsync(user.Email!);

        Assert.Equal(identity.OrderBy(c => c.Type).ThenBy(c => c.Value),
            portal.Where(c => !c.Type.StartsWith("aigc:", StringComparison.Ordinal))
                .OrderBy(c => c.Type).ThenBy(c => c.Value));
        Assert.Equal(2, portal.Count(c => c.Type == ClaimTypes.Role));
        Assert.Contains(portal, c => c.Type == "aigc:display_name" && c.Value == "claims-two-roles");
    }

    private async Task<(List<(string Type, string Value)> Portal, List<(string Type, string Value)> Identity)>
        BothAsync(string email)
    {
        await using var scope = fixture.Host.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var users = services.GetRequiredService<UserManager<PortalUser>>();
        var user = (await users.FindByEmailAsync(email))!;
        var portal = await services.GetRequiredService<IUserClaimsPrincipalFactory<PortalUser>>().CreateAsync(user);
        var identity = await new UserClaimsPrincipalFactory<PortalUser, IdentityRole>(users,
            services.GetRequiredService<RoleManager<IdentityRole>>(),
            services.GetRequiredService<IOptions<IdentityOptions>>()).CreateAsync(user);
        return (portal.Claims.Select(c => (c.Type, c.Value)).ToList(),
            identity.Claims.Select(c => (c.Type, c.Value)).ToList());
    }
}
