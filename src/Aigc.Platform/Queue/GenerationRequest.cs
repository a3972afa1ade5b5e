using Aigc.Platform.Data;

namespace Aigc.Platform.Queue;

/// <summary>
/// What a user asks for. <see cref="Model"/> is "NAME", "NAME@VERSION" or a weights hash; conditions are by name,
/// numbers in invariant culture. Image i gets seed <see cref="Seed"/> + i; no seed means a random one.
/// <see cref="Recipe"/> (default: sample) can instead vary the seed's image or interpolate towards another.
/// </summary>
public sealed record GenerationRequest(
    string Model,
    IReadOnlyDictionary<string, string> Conditions,
    int Count,
    long? Seed = null,
    string? Preset = null,
    JobPriority Priority = JobPriority.Interactive,
    GenerationRecipe? Recipe = null);

/// <summary>Who asks: the user id and their roles (caps, quotas and model restrictions depend on them).</summary>
public sealed record Requester(string UserId, IReadOnlyCollection<string> Roles)
{
    public bool IsAdmin => Roles.Contains(Accounts.PortalRoles.Admin);
}
