using Aigc.Platform.Data;
using Microsoft.AspNetCore.Identity;

namespace Aigc.Portal.Features.Account;

/// <summary>"Confirmed" means approved by an admin: SignInManager then refuses unapproved accounts with NotAllowed.</summary>
internal sealed class ApprovedAccountConfirmation : IUserConfirmation<PortalUser>
{
    public Task<bool> IsConfirmedAsync(UserManager<PortalUser> manager, PortalUser user) =>
        Task.FromResult(user.ApprovedAt is not null);
}
