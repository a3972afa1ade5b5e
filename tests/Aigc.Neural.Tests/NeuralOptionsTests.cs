using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aigc.Neural.Tests;

public class NeuralOptionsTests
{
    [Fact]
    public void Configuration_selects_the_provider_and_threads()
    {
        var engine = Build(new() { ["Neural:BlasProvider"] = "managed", ["Neural:Threads"] = "2" }).GetRequiredService<NeuralEngine>();
        Assert.Equal("managed", engine.Gemm.Name);
        Assert.Equal(2, engine.Threads);
        var defaults = Build(new()).GetRequiredService<NeuralEngine>();
        Assert.Equal(Environment.ProcessorCount, defaults.Threads);
    }

    [Theory]
    [InlineData("Neural:Threads", "-1", "Neural:Threads must be between 0 (all cores) and 256.")]
    [InlineData("Neural:MaxSafetensorsHeaderBytes", "10", "Neural:MaxSafetensorsHeaderBytes must be between")]
    public void Invalid_values_fail_with_the_key_named(string key, string value, string message)
    {
        var provider = Build(new() { [key] = value });
        var e = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<NeuralOptions>>().Value);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void An_unknown_provider_name_fails_with_the_key_named()
    {
        var provider = Build(new() { ["Neural:BlasProvider"] = "cuda" });
        var e = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IOptions<NeuralOptions>>().Value);
        Assert.Contains("Neural:BlasProvider", e.Message);
    }

    private static ServiceProvider Build(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return new ServiceCollection().AddNeural(configuration).BuildServiceProvider();
    }
}
