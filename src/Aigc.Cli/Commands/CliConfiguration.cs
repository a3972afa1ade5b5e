using Microsoft.Extensions.Configuration;

namespace Aigc.Cli.Commands;

/// <summary>Settings for commands, read like the portal reads them: a JSON file, then environment variables (Queue__BatchSize=8).</summary>
internal static class CliConfiguration
{
    /// <summary>The given file (which must exist), else appsettings.json in the working directory when there is one.</summary>
    public static IConfigurationBuilder Load(FileInfo? config)
    {
        if (config is { Exists: false })
            throw new FileNotFoundException($"Configuration file '{config.FullName}' does not exist.");
        return new ConfigurationBuilder()
            .AddJsonFile(config?.FullName ?? Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: config is null)
            .AddEnvironmentVariables();
    }
}
