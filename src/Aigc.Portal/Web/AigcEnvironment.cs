using Aigc.Platform;
using Aigc.Platform.Data;
using Aigc.Portal.Features.Account;

namespace Aigc.Portal.Web;

public static class AigcEnvironment
{
    /// <summary>AIGC_DATA is the documented short form of Platform:DataDirectory (README, Dockerfile, build.sh).</summary>
    public static IConfigurationBuilder AddAigcEnvironment(this IConfigurationBuilder configuration)
    {
        var data = Environment.GetEnvironmentVariable("AIGC_DATA");
        if (!string.IsNullOrWhiteSpace(data))
        {
            configuration.AddInMemoryCollection([new($"{PlatformOptions.SectionName}:{nameof(PlatformOptions.DataDirectory)}", data)]);
        }

        return configuration;
    }

    /// <summary>Migrates the database and makes sure roles and a first admin exist, before the first request.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseMigrator>().MigrateAsync(app.Lifetime.ApplicationStopping);
        await scope.ServiceProvider.GetRequiredService<AccountsBootstrap>().RunAsync(app.Lifetime.ApplicationStopping);
    }
}
