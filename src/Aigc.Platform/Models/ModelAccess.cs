using Aigc.Platform.Accounts;
using Aigc.Platform.Data;

namespace Aigc.Platform.Models;

/// <summary>
/// The one rule for "may these roles use this model version": it is active or a draft, and open to one of the roles
/// (a version open to no role in particular is open to all; admins may use every version). Drafts count because a
/// version stops being active when a newer one is activated: the images made with it must stay reproducible by the
/// people who made them. Retiring is how a version is taken out of use. The queue, the Studio and the API ask here.
/// </summary>
public static class ModelAccess
{
    public static bool IsUsable(ModelVersionStatus status)
        => status is ModelVersionStatus.Active or ModelVersionStatus.Draft;

    public static bool IsOpenTo(ModelVersion version, IReadOnlyCollection<string> roles)
    {
        var allowed = version.AllowedRoleList;
        return allowed.Count == 0 || roles.Contains(PortalRoles.Admin, StringComparer.OrdinalIgnoreCase)
            || allowed.Intersect(roles, StringComparer.OrdinalIgnoreCase).Any();
    }

    public static bool MayUse(ModelVersion version, IReadOnlyCollection<string> roles) =>
        IsUsable(version.Status) && IsOpenTo(version, roles);

    /// <summary>The versions these roles may use, active ones first, then by name and newest first.</summary>
    public static List<ModelVersion> Usable(IEnumerable<ModelVersion> versions, IReadOnlyCollection<string> roles) =>
        versions.Where(v => MayUse(v, roles))
            .OrderBy(v => v.Status == ModelVersionStatus.Active ? 0 : 1).ThenBy(v => v.Name, StringComparer.Ordinal)
            .ThenByDescending(v => v.AddedAt)
            .ToList();
}
