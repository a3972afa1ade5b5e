using Microsoft.Extensions.Configuration;

namespace Aigc.Platform;

/// <summary>The environment variables every host reads the same way: the portal, the container and `aigc`.</summary>
public static class AigcEnvironment
{
    public const string DataVariable = "AIGC_DATA";

    public const string DataDirectoryKey = $"{PlatformOptions.SectionName}:{nameof(PlatformOptions.DataDirectory)}";

    /// <summary>
    /// AIGC_DATA is the documented short form of Platform:DataDirectory (README, Dockerfile, build.sh). Added last, it
    /// wins over settings files and Platform__DataDirectory; a host's own override (aigc --data) goes after it.
    /// </summary>
    public static IConfigurationBuilder AddAigcEnvironment(this IConfigurationBuilder configuration)
    {
        var data = Environment.GetEnvironmentVariable(DataVariable);
        if (!string.IsNullOrWhiteSpace(data))
            configuration.AddInMemoryCollection([new(DataDirectoryKey, data)]);
        return configuration;
    }
}
