using System.Security.Claims;
using Aigc.Platform.Queue;

namespace Aigc.Portal.Web;

public static class RequesterExtensions
{
    /// <summary>The signed-in user as the platform's services see them: id and roles, nothing else.</summary>
    public static Requester ToRequester(this ClaimsPrincipal user) =>
        new(user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("The request has no signed-in user."),
            user.FindAll(ClaimTypes.Role).Select(c => c.Value).ToArray());
}
