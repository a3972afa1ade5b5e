using System.Security.Claims;
using Aigc.Platform.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Aigc.Portal.Features.Account;

/// <summary>
/// The claims of a signed-in user or an API token's owner: id, name, e-mail, security stamp and role names, as
/// Identity's own factory makes them, plus the portal's two. The portal gives neither users nor roles claims of their
/// own, so the base factory's user-claims read and, per role, the role's and its claims' reads answered nothing; they
/// were three of the six database reads of every API call, which checks its token afresh (a test compares the two
/// factories, so claims given later would not go unseen).
/// </summary>
internal sealed class PortalClaimsFactory(
    UserManager<PortalUser> userManager,
    RoleManager<IdentityRole> roleManager,
    IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<PortalUser, IdentityRole>(userManager, roleManager, options)
{
    public const string MustChangePasswordClaim = "aigc:must_change_password";
    public const string DisplayNameClaim = "aigc:display_name";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(PortalUser user)
    {
        var types = Options.ClaimsIdentity;
        var identity = new ClaimsIdentity("Identity.Application", types.UserNameClaimType, types.RoleClaimType);
        identity.AddClaim(new Claim(types.UserIdClaimType, user.Id));
        identity.AddClaim(new Claim(types.UserNameClaimType, user.UserName ?? ""));
        if (!string.IsNullOrEmpty(user.Email))
            identity.AddClaim(new Claim(types.EmailClaimType, user.Email));
        identity.AddClaim(new Claim(types.SecurityStampClaimType, await UserManager.GetSecurityStampAsync(user)));
        foreach (var role in await UserManager.GetRolesAsync(user))
            identity.AddClaim(new Claim(types.RoleClaimType, role));

        if (user.MustChangePassword)
            identity.AddClaim(new Claim(MustChangePasswordClaim, "true"));
        identity.AddClaim(new Claim(DisplayNameClaim, user.DisplayName ?? user.Email ?? user.UserName ?? ""));
        return identity;
    }
}
