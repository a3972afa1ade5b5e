using Aigc.Platform;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Aigc.Platform.Models;
using Aigc.Platform.Queue;
using Microsoft.Extensions.Options;

namespace Aigc.Portal.Web;

/// <summary>Start-up work of the web host; AIGC_DATA itself is read by Aigc.Platform.AigcEnvironment.</summary>
public static class PortalStartup
{
    /// <summary>Migrates the database and makes sure roles and a first admin exist, before the first request.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(app.Lifetime.ApplicationStopping);
        await scope.ServiceProvider.GetRequiredService<AccountsBootstrap>().RunAsync(app.Lifetime.ApplicationStopping);
        // Before the first request, so that nobody right after a start is told the default model does not exist.
        var shipped = app.Services.GetRequiredService<IOptions<QueueOptions>>().Value.ShippedModelsDirectory;
        try
        {
            await scope.ServiceProvider.GetRequiredService<ModelRegistry>().RegisterShippedAsync(shipped, app.Lifetime.ApplicationStopping);
        }
        catch (ModelRejectedException e)
        {
            // Other versions keep working; admins see the reason in the log and on Admin › Models.
            app.Logger.LogError("A shipped model under {Directory} was not registered: {Reason}", shipped, e.Message);
        }
    }
}
