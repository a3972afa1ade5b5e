using System.Security.Claims;

namespace Aigc.Platform.Accounts;

public static class PortalRoles
{
    public const string Admin = "Admin";
    public const string Designer = "Designer";
    public const string Marketer = "Marketer";
    public const string Viewer = "Viewer";

    /// <summary>Manages datasets and training runs (issue 29); not users, not model activation.</summary>
    public const string Trainer = "Trainer";

    public static readonly IReadOnlyList<string> All = [Admin, Designer, Marketer, Viewer, Trainer];

    /// <summary>The one admin check of the services admins use: "Only admins {what}." otherwise.</summary>
    public static void DemandAdmin(ClaimsPrincipal user, string what)
    {
        if (!user.IsInRole(Admin))
            throw new UnauthorizedAccessException($"Only admins {what}.");
    }
}
