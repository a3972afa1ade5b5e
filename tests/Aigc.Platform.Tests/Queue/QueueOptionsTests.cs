using Aigc.Platform.Queue;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Tests.Queue;

public sealed class QueueOptionsTests
{
    [Theory]
    [InlineData("Queue:BatchSize", "0", "Queue:BatchSize must be between 1 and 256.")]
    [InlineData("Queue:EngineThreads", "0", "Queue:EngineThreads must be between 1 and 256.")]
    [InlineData("Queue:LeaseSeconds", "1", "Queue:LeaseSeconds must be between 2 and 3600.")]
    [InlineData("Queue:QueuedImageCaps:Pilot", "5", "Queue:QueuedImageCaps:Pilot is not a role")]
    [InlineData("Queue:DailyImageQuotas:Designer", "-1", "Queue:DailyImageQuotas:Designer must not be negative (got -1).")]
    public void Bad_settings_are_refused_naming_the_key(string key, string value, string message)
    {
        var error = Assert.Throws<OptionsValidationException>(() => Resolve(new() { [key] = value }));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void A_user_gets_the_most_generous_limit_of_their_roles_and_configuration_overrides_defaults()
    {
        var options = Resolve(new() { ["Queue:QueuedImageCaps:Marketer"] = "500" });
        Assert.Equal(500, options.QueuedImageCapFor(["Designer", "Marketer"]));
        Assert.Equal(256, options.QueuedImageCapFor(["Designer"]));
        Assert.Equal(0, options.DailyImageQuotaFor(["Viewer"]));
        Assert.Equal(0, options.DailyImageQuotaFor([]));
    }

    private static QueueOptions Resolve(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddLogging().AddPlatform(configuration).BuildServiceProvider();
        return services.GetRequiredService<IOptions<QueueOptions>>().Value;
    }
}
