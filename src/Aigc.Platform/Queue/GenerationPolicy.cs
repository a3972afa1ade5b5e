using Aigc.Platform.Accounts;
using Aigc.Platform.Refusals;

namespace Aigc.Platform.Queue;

/// <summary>
/// Who may generate images: the one policy the queue enforces for every way in (Studio, API, CLI), and the roles the
/// web's Studio policy requires. Marketers and viewers use images others made; they queue none themselves.
/// </summary>
public static class GenerationPolicy
{
    public static readonly IReadOnlyList<string> Roles = [PortalRoles.Admin, PortalRoles.Designer];

    public static bool Allows(IReadOnlyCollection<string> roles) => roles.Any(r => Roles.Contains(r,
        StringComparer.OrdinalIgnoreCase));

    /// <summary>Throws <see cref="GenerationRefusedException"/> (<see cref="RefusalKind.Forbidden"/>) unless
    /// the requester may generate.</summary>
    public static void Demand(Requester requester)
    {
        if (!Allows(requester.Roles))
            throw new GenerationRefusedException(RefusalKind.Forbidden,
                new("GenerateForbidden", "model", string.Join(" and ", Roles)));
    }
}
