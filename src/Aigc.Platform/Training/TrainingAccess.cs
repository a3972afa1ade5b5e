using System.Security.Claims;
using Aigc.Platform.Accounts;

namespace Aigc.Platform.Training;

/// <summary>
/// The one rule for datasets and training runs: admins and trainers, nobody else (design drawings are confidential).
/// Every Training service checks it on every call; the web's Training policy requires the same roles.
/// </summary>
public static class TrainingAccess
{
    public static readonly IReadOnlyList<string> Roles = [PortalRoles.Admin, PortalRoles.Trainer];

    public static bool Allows(ClaimsPrincipal user) => Roles.Any(user.IsInRole);

    /// <summary>Throws <see cref="UnauthorizedAccessException"/> unless the user may manage datasets and runs.</summary>
    public static void Demand(ClaimsPrincipal user)
    {
        if (!Allows(user))
            throw new UnauthorizedAccessException("Datasets and training runs are open to admins and trainers only.");
    }
}
