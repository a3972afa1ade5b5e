using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Data;

/// <summary>Hands out the configured provider's pooled contexts to code that asks for the portal's model.</summary>
internal sealed class PortalDbContextFactory<TContext>(IDbContextFactory<TContext> contexts) : IDbContextFactory<PortalDbContext>
    where TContext : PortalDbContext
{
    public PortalDbContext CreateDbContext() => contexts.CreateDbContext();

    public async Task<PortalDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default) =>
        await contexts.CreateDbContextAsync(cancellationToken);
}
