using Aigc.Platform;
using Aigc.Platform.Queue;
using Microsoft.Extensions.Configuration;

namespace Aigc.Cli.Commands;

/// <summary>
/// Settings for commands, read like the portal reads them: a JSON file, then environment variables
/// (Queue__BatchSize=8), then AIGC_DATA; --data wins over all of them. The shipped models are found from any working
/// directory (<see cref="ShippedModelsLocation"/>).
/// </summary>
internal static class CliConfiguration
{
    /// <summary>The given file (which must exist), else appsettings.json in the working directory, if any.</summary>
    public static IConfigurationBuilder Load(FileInfo? config)
    {
        if (config is { Exists: false })
            throw new FileNotFoundException($"Configuration file '{config.FullName}' does not exist.");
        return new ConfigurationBuilder()
            .AddJsonFile(config?.FullName ?? Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"),
                optional: config is null)
            .AddEnvironmentVariables()
            .AddAigcEnvironment();
    }

    /// <summary>
    /// Everything a worker command reads: <see cref="Load"/>, --data, and Queue:ShippedModelsDirectory resolved. When
    /// no shipped models are found, stderr says where the tool looked; versions already in the database still work.
    /// </summary>
    public static IConfiguration ForWorker(FileInfo? config, DirectoryInfo? data,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = Load(config);
        if (data is not null)
            builder.AddInMemoryCollection([new(AigcEnvironment.DataDirectoryKey, data.FullName)]);
        if (settings is not null)
            builder.AddInMemoryCollection(settings);
        var configuration = builder.Build();
        var key = $"{QueueOptions.SectionName}:{nameof(QueueOptions.ShippedModelsDirectory)}";
        var shipped = ShippedModelsLocation.Find(
            configuration[key], AppContext.BaseDirectory, Directory.GetCurrentDirectory());
        if (shipped.Directory is null)
        {
            Console.Error.WriteLine($"aigc: {shipped.Problem}");
            return configuration;
        }

        return new ConfigurationBuilder().AddConfiguration(configuration)
            .AddInMemoryCollection([new(key, shipped.Directory)]).Build();
    }
}
