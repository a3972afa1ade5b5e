using Aigc.Platform.Audit;
using Aigc.Platform.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Aigc.Platform;

public static class PlatformServiceCollectionExtensions
{
    public static IServiceCollection AddPlatform(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PlatformOptions>()
            .Bind(configuration.GetSection(PlatformOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddDbContext<PortalDbContext>((sp, options) =>
        {
            var platform = sp.GetRequiredService<IOptions<PlatformOptions>>().Value;
            options.UseSqlite(platform.ResolveConnectionString());
        });

        // Keys live in the data directory so sign-in cookies and antiforgery tokens survive restarts.
        services.AddDataProtection().SetApplicationName("Aigc.Portal");
        services.AddOptions<KeyManagementOptions>()
            .Configure<IOptions<PlatformOptions>, ILoggerFactory>((keys, platform, loggers) =>
                keys.XmlRepository = new FileSystemXmlRepository(
                    new DirectoryInfo(Path.Combine(platform.Value.DataDirectoryFullPath, "keys")), loggers));

        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<AuditLog>();
        services.AddTransient<DatabaseMigrator>();
        return services;
    }
}
