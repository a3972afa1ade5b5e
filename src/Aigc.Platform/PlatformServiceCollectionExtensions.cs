using Aigc.Generation.Inference;
using Aigc.Neural;
using Aigc.Platform.Audit;
using Aigc.Platform.Blobs;
using Aigc.Platform.Blueprints;
using Aigc.Platform.Models;
using Aigc.Platform.Queue;
using Aigc.Platform.Data;
using Aigc.Platform.Telemetry;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
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

        services.AddOptions<DatabaseOptions>()
            .Bind(configuration.GetSection(DatabaseOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // Each provider has its own context type (each owns its migrations); both pools are registered and the
        // configured one is picked when first asked for, after all configuration sources are in.
        AddContexts<SqlitePortalDbContext>(services, SqlitePortalDbContext.Configure);
        AddContexts<PostgresPortalDbContext>(services, PostgresPortalDbContext.Configure);
        services.AddSingleton<IDbContextFactory<PortalDbContext>>(sp => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.IsPostgres
            ? new PortalDbContextFactory<PostgresPortalDbContext>(sp.GetRequiredService<IDbContextFactory<PostgresPortalDbContext>>())
            : new PortalDbContextFactory<SqlitePortalDbContext>(sp.GetRequiredService<IDbContextFactory<SqlitePortalDbContext>>()));
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext());

        // Keys live in the database, so every instance reads every cookie and antiforgery token, encrypted with a
        // key from the (shared) data directory (decision 0016).
        services.AddDataProtection().SetApplicationName("Aigc.Portal").PersistKeysToDbContext<PortalDbContext>();
        services.AddOptions<KeyManagementOptions>()
            .Configure<IOptions<PlatformOptions>>((keys, platform) =>
                keys.XmlEncryptor = new KeyEncryptionKeyXmlEncryptor(KeyEncryptionKey.LoadOrCreate(platform.Value.DataDirectoryFullPath)));

        services.TryAddSingleton(TimeProvider.System);
        services.AddScoped<AuditLog>();
        services.AddScoped<Accounts.ApiTokens>();
        services.AddScoped<Accounts.Registrations>();
        services.AddScoped<Accounts.AccountsBootstrap>();
        services.AddScoped<Accounts.AccountSessions>();
        services.AddSingleton<Accounts.UserPreferences>();
        services.AddSingleton<Accounts.UserDirectory>();
        services.AddSingleton<Accounts.UserAdministration>();
        services.AddSingleton<Accounts.PendingRegistrations>();
        services.AddSingleton<AuditQueries>();
        services.AddSingleton<Accounts.Invitations>();
        services.AddSingleton<Status.SystemStatus>();
        services.AddSingleton<ModelAdministration>();
        services.AddSingleton<ModelUploads>();
        services.AddOptions<RegistryOptions>()
            .Bind(configuration.GetSection(RegistryOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddTransient<DatabaseMigrator>();
        services.AddOptions<Training.TrainingOptions>()
            .Bind(configuration.GetSection(Training.TrainingOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<Training.DatasetLibrary>();
        services.AddSingleton<Training.TrainingSignal>();
        services.AddSingleton<Training.TrainingRuns>();
        services.AddSingleton<Training.TrainingWorker>();
        AddGenerationQueue(services, configuration);
        // Registered here, mapped by the host: the checks need the database, the blob store and the engine.
        Health.PlatformHealthChecks.Add(services);
        return services;
    }

    private static void AddContexts<TContext>(IServiceCollection services, Func<DbContextOptionsBuilder, string, DbContextOptionsBuilder> configure)
        where TContext : PortalDbContext
    {
        // The factory serves the worker's and the progress feed's short units of work, many a second: pooled, a
        // context keeps its internal services between uses instead of resolving them anew each time. Requests get
        // theirs from the same pool, one per scope.
        services.AddPooledDbContextFactory<TContext>((sp, options) =>
        {
            var platform = sp.GetRequiredService<IOptions<PlatformOptions>>().Value;
            var database = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            configure(options, database.ResolveConnectionString(platform.DataDirectoryFullPath));
        });
    }

    /// <summary>Runs the generation worker in this host (needs AddNeural and AddImaging).</summary>
    public static IServiceCollection AddGenerationWorker(this IServiceCollection services)
    {
        services.AddHostedService<GenerationWorker>();
        // Training runs below every generation, in the same hosts (decision 0020).
        services.AddHostedService(sp => sp.GetRequiredService<Training.TrainingWorker>());
        return services;
    }

    private static void AddGenerationQueue(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<QueueOptions>()
            .Bind(configuration.GetSection(QueueOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => new BlobStore(Path.Combine(sp.GetRequiredService<IOptions<PlatformOptions>>().Value.DataDirectoryFullPath, "blobs")));
        services.AddSingleton(sp => new ModelFiles(sp.GetRequiredService<IOptions<PlatformOptions>>().Value.DataDirectoryFullPath));
        // The learned line upscalers shipped beside the generators (models/upscalers): the default preset's upscale step.
        services.AddSingleton(sp => new ShippedUpscalers(
            Path.Combine(sp.GetRequiredService<IOptions<QueueOptions>>().Value.ShippedModelsDirectory, "upscalers"),
            sp.GetRequiredService<IOptions<NeuralOptions>>().Value.BlasProvider, sp.GetService<ILogger<ShippedUpscalers>>()));
        services.AddSingleton<Aigc.Imaging.Pipeline.ILineUpscaler>(sp => sp.GetRequiredService<ShippedUpscalers>());
        services.AddOptions<InferenceOptions>()
            .Bind(configuration.GetSection(InferenceOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // One device (the engine pool) per process; request code reaches it through the scoped ModelInference.
        // Its engine has its own thread budget, Queue:EngineThreads; the rest of the Neural section applies as configured.
        // On ONNX Runtime the engine still loads and holds the weights; the passes run with the same thread budget.
        services.AddSingleton<IInferenceDevice>(sp =>
        {
            var inference = sp.GetRequiredService<IOptions<InferenceOptions>>().Value;
            var clock = sp.GetRequiredService<TimeProvider>();
            var queue = sp.GetRequiredService<IOptions<QueueOptions>>().Value;
            var neural = sp.GetRequiredService<IOptions<NeuralOptions>>().Value;
            var engine = new NeuralEngine(new NeuralOptions
            {
                BlasProvider = neural.BlasProvider,
                Threads = queue.EngineThreads,
                MaxSafetensorsHeaderBytes = neural.MaxSafetensorsHeaderBytes,
            });
            return inference.Device switch
            {
                DeviceKind.Onnx => new OnnxInferenceDevice(engine, queue.EngineThreads, clock),
                DeviceKind.OnnxCuda =>
                    new OnnxInferenceDevice(engine, queue.EngineThreads, clock, inference.CudaDeviceId),
                _ => (IInferenceDevice)new CpuInferenceDevice(engine, clock),
            };
        });
        services.AddSingleton(sp => new LoadedModels(
            sp.GetRequiredService<ModelFiles>(),
            sp.GetRequiredService<IInferenceDevice>(),
            sp.GetRequiredService<IOptions<QueueOptions>>().Value.ModelCacheMegabytes * 1024L * 1024));
        // Instruments come from the host's meter factory (one per container), so a disposed host stops publishing.
        services.AddMetrics();
        services.AddSingleton<QueueMetrics>();
        services.AddSingleton<QueueDepthReader>();
        services.AddSingleton<LiveConnections>();
        services.AddSingleton<PlatformGauges>();
        services.AddSingleton<QueueSignal>();
        services.AddSingleton<PostgresQueueNotifications>();
        services.AddHostedService(sp => sp.GetRequiredService<PostgresQueueNotifications>());

        services.AddSingleton<JobProgressFeed>();
        services.AddSingleton<Sketches.SketchReader>();
        services.AddSingleton<BlueprintRender>();
        services.AddSingleton<BlobCheck>();
        services.AddOptions<BlobOptions>()
            .Bind(configuration.GetSection(BlobOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<BlobSweep>();
        // A host (the portal, a worker) sweeps the blobs no row names every Blobs:SweepIntervalMinutes.
        services.AddHostedService(sp => sp.GetRequiredService<BlobSweep>());
        services.AddSingleton<GenerationScheduler>();
        services.AddSingleton<WorkerHeartbeat>();
        services.AddScoped<WorkerRoster>();
        services.AddScoped<ModelInference>();
        services.AddScoped<ModelRegistry>();
        services.AddScoped<GenerationQueue>();
        services.AddScoped<BlueprintAccess>();
        services.AddScoped<Api.ApiQueries>();
        services.AddScoped<BlueprintVectors>();
    }
}
