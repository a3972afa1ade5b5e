using Aigc.Platform.Gallery;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Tests.Gallery;

public sealed class GalleryOptionsTests
{
    [Theory]
    [InlineData("Gallery:RetentionHours", "0", "Gallery:RetentionHours must be between 1 and 8760.")]
    [InlineData("Gallery:PurgeIntervalSeconds", "5", "Gallery:PurgeIntervalSeconds must be between 10 and 86400.")]
    [InlineData("Gallery:PageSize", "1000", "Gallery:PageSize must be between 8 and 200.")]
    [InlineData("Gallery:MaxSelection", "0", "Gallery:MaxSelection must be between 1 and 50000.")]
    public void Bad_settings_are_refused_naming_the_key(string key, string value, string message)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { [key] = value }));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Defaults_keep_deleted_blueprints_for_thirty_days()
    {
        var options = Resolve([]);
        Assert.Equal((720, 48), (options.RetentionHours, options.PageSize));
    }

    private static GalleryOptions Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddPlatform(configuration).AddGallery(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<GalleryOptions>>().Value;
    }
}
