using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Tests;

public sealed class PlatformOptionsTests
{
    [Fact]
    public void An_unsupported_database_provider_is_refused_naming_the_key()
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { ["Platform:DatabaseProvider"] = "Oracle" }));
        Assert.Contains("Platform:DatabaseProvider", error.Message);
        Assert.Contains("Oracle", error.Message);
    }

    [Fact]
    public void Without_a_connection_string_the_database_is_a_file_in_the_data_directory()
    {
        var folder = Path.Combine(Path.GetTempPath(), "aigc-options-test");
        var options = Resolve(new() { ["Platform:DataDirectory"] = folder });
        Assert.Equal($"Data Source={Path.Combine(folder, "aigc.db")}", options.ResolveConnectionString());
    }

    private static PlatformOptions Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddPlatform(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<PlatformOptions>>().Value;
    }
}
