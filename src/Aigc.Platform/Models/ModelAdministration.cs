using System.Security.Claims;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Aigc.Platform.Refusals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Platform.Models;

public enum ModelActionOutcome
{
    Done,
    NotFound,
    /// <summary>The registry refused the change; <see cref="ModelActionResult.Reason"/> says why.</summary>
    Refused,
}

/// <summary>What an action did and, when done, the version it is about (for a roll back: the one now active).</summary>
/// <summary>What an action did; <see cref="Reason"/> says why it was refused, in words the web translates.</summary>
public sealed record ModelActionResult(ModelActionOutcome Outcome, ModelVersion? Version = null, Refusal? Reason = null);

/// <summary>
/// Admin › Models: the versions by name, one version's details, and the actions on them. Each call checks that the
/// caller is an admin and runs in its own unit of work (the page that asks lives over a circuit); changes go through
/// <see cref="ModelRegistry"/>, which audits them.
/// </summary>
public sealed class ModelAdministration(IDbContextFactory<PortalDbContext> contexts, IServiceScopeFactory scopes,
    ShippedUpscalers upscalers)
{
    /// <summary>The learned line upscalers shipped with the service (models/upscalers), by weights hash.</summary>
    public IReadOnlyList<ShippedUpscaler> Upscalers(ClaimsPrincipal admin)
    {
        RequireAdmin(admin);
        return upscalers.Versions;
    }

    public async Task<IReadOnlyList<ModelGroup>> GroupsAsync(ClaimsPrincipal admin,
        CancellationToken cancellationToken = default)
    {
        RequireAdmin(admin);
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var versions = await db.ModelVersions.AsNoTracking().ToListAsync(cancellationToken);
        return versions.GroupBy(v => v.Name).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new ModelGroup(g.Key, g.OrderByDescending(v => v.AddedAt).ToList()))
            .ToList();
    }

    /// <summary>The version with these weights, or null for an unknown or malformed hash.</summary>
    public async Task<ModelVersionDetail?> DetailAsync(ClaimsPrincipal admin, string sha256,
        CancellationToken cancellationToken = default)
    {
        RequireAdmin(admin);
        if (!IsSha256(sha256))
            return null;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var version = await db.ModelVersions.AsNoTracking()
            .SingleOrDefaultAsync(m => m.WeightsSha256 == sha256, cancellationToken);
        return version is null ? null : ModelVersionDetail.Of(version);
    }

    public Task<ModelActionResult> ActivateAsync(ClaimsPrincipal admin, string sha256,
        CancellationToken cancellationToken = default) =>
        RunAsync(admin, sha256, (registry, ct) => registry.ActivateAsync(sha256, admin, ct), cancellationToken);

    public Task<ModelActionResult> RetireAsync(ClaimsPrincipal admin, string sha256,
        CancellationToken cancellationToken = default) =>
        RunAsync(admin, sha256, (registry, ct) => registry.RetireAsync(sha256, admin, ct), cancellationToken);

    /// <summary>Opens the version to these roles only (admins always); none opens it to every role.</summary>
    public Task<ModelActionResult> RestrictAsync(ClaimsPrincipal admin, string sha256,
        IReadOnlyCollection<string> roles, CancellationToken cancellationToken = default) =>
        RunAsync(admin, sha256, (registry, ct) => registry.RestrictAsync(sha256, roles, admin, ct), cancellationToken);

    public async Task<ModelActionResult> RollBackAsync(ClaimsPrincipal admin, string name,
        CancellationToken cancellationToken = default)
    {
        RequireAdmin(admin);
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            var now = await scope.ServiceProvider.GetRequiredService<ModelRegistry>()
                .RollBackAsync(name, admin, cancellationToken);
            return new ModelActionResult(ModelActionOutcome.Done, now);
        }
        catch (ModelRejectedException e)
        {
            return new ModelActionResult(ModelActionOutcome.Refused, Reason: e.Refusal);
        }
    }

    internal static void RequireAdmin(ClaimsPrincipal admin) => PortalRoles.DemandAdmin(admin, "manage model versions");

    internal static bool IsSha256(string sha) => sha.Length == 64 && sha.All(char.IsAsciiHexDigitLower);

    private async Task<ModelActionResult> RunAsync(ClaimsPrincipal admin, string sha256,
        Func<ModelRegistry, CancellationToken, Task> change, CancellationToken cancellationToken)
    {
        RequireAdmin(admin);
        if (!IsSha256(sha256))
            return new ModelActionResult(ModelActionOutcome.NotFound);
        await using var scope = scopes.CreateAsyncScope();
        var registry = scope.ServiceProvider.GetRequiredService<ModelRegistry>();
        if (await registry.FindAsync(sha256, cancellationToken) is null)
            return new ModelActionResult(ModelActionOutcome.NotFound);
        try
        {
            await change(registry, cancellationToken);
        }
        catch (ModelRejectedException e)
        {
            return new ModelActionResult(ModelActionOutcome.Refused, Reason: e.Refusal);
        }
        catch (ArgumentException e)
        {
            return new ModelActionResult(ModelActionOutcome.Refused, Reason: new Refusal("ModelRejected", "roles", e.Message));
        }

        return new ModelActionResult(ModelActionOutcome.Done, await registry.FindAsync(sha256, cancellationToken));
    }
}
