using Aigc.Generation.Inference;
using Aigc.Imaging;
using Aigc.Neural;
using Aigc.Platform.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Tests.Models;

/// <summary>Inference:Device picks the process's device; one that cannot run stops the start, saying why.</summary>
public sealed class InferenceDeviceTests
{
    [Theory]
    [InlineData(null, typeof(OnnxInferenceDevice), DeviceKind.Onnx)]
    [InlineData("Onnx", typeof(OnnxInferenceDevice), DeviceKind.Onnx)]
    [InlineData("Cpu", typeof(CpuInferenceDevice), DeviceKind.Cpu)]
    public void The_setting_picks_the_device_and_onnx_runtime_is_the_default(
        string? setting, Type type, DeviceKind kind)
    {
        using var services = Services(setting is null ? [] : new() { ["Inference:Device"] = setting });
        var device = services.GetRequiredService<IInferenceDevice>();
        Assert.IsType(type, device);
        Assert.Equal(kind, device.Kind);
        Assert.Contains(kind == DeviceKind.Cpu ? "CPU · " : "ONNX Runtime 1.32.0 · CPU provider · 1 thread",
            device.Name);
    }

    [Fact]
    public async Task OnnxCuda_without_cuda_stops_the_start_saying_what_the_host_lacks()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection([new("Inference:Device", "OnnxCuda")]);
        builder.Services.AddNeural(builder.Configuration).AddImaging(builder.Configuration)
            .AddPlatform(builder.Configuration);
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Inference:Device is OnnxCuda", error.Message);
        Assert.Contains("CUDA 13 and cuDNN 9", error.Message);
    }

    [Fact]
    public void An_unknown_device_is_refused_naming_the_key()
    {
        using var services = Services(new() { ["Inference:Device"] = "Gpu" });
        var error = Assert.Throws<InvalidOperationException>(
            () => services.GetRequiredService<IOptions<InferenceOptions>>().Value);
        Assert.Contains("Inference:Device", error.Message);
    }

    [Fact]
    public void A_device_number_out_of_range_is_refused_naming_the_key()
    {
        using var services = Services(new() { ["Inference:CudaDeviceId"] = "99" });
        var error = Assert.Throws<OptionsValidationException>(
            () => services.GetRequiredService<IOptions<InferenceOptions>>().Value);
        Assert.Contains("Inference:CudaDeviceId must be between 0 and 63", error.Message);
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddNeural(configuration).AddImaging(configuration)
            .AddPlatform(configuration).BuildServiceProvider();
    }
}
