using Aigc.Generation;
using Aigc.Generation.Inference;
using Aigc.Neural.Gemm;
using Aigc.Platform.Blobs;
using Aigc.Platform.Data;
using Aigc.Platform.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Platform.Tests.Models;

/// <summary>Documentation registered with a version, the roll back pointer, and the inference device's figures.</summary>
public sealed class ModelCardTests : IDisposable
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3];

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Card_licence_metrics_and_samples_are_registered_and_filled_in_later_when_missing()
    {
        await using var host = await ServiceHost.StartAsync(_folder.Sub("data"));
        var folder = ServiceHost.WriteModelFolder(_folder.Path, 1);
        var bare = await host.RegisterAsync(folder, "v1");
        Assert.Null(bare.ModelCard);

        File.WriteAllText(Path.Combine(folder, ModelFiles.ModelCardFileName), "# Card\nKnown weakness: seeds look alike.");
        File.WriteAllText(Path.Combine(folder, ModelFiles.LicenseFileName), "MIT License");
        File.WriteAllText(Path.Combine(folder, ModelFiles.MetricsFileName), "{\"evaluation\":{\"conditionalAccuracy\":0.985}}");
        File.WriteAllBytes(Path.Combine(folder, ModelFiles.SamplesFileName), Png);
        var filled = await host.RegisterAsync(folder, "v1");

        Assert.Equal(bare.Id, filled.Id);
        Assert.Equal("# Card\nKnown weakness: seeds look alike.", filled.ModelCard);
        Assert.Equal("MIT License", filled.License);
        Assert.Contains("0.985", filled.MetricsJson);
        Assert.Equal(Png, await host.Get<BlobStore>().ReadAllAsync(filled.SamplesSha256!));
        await using var db = host.OpenDatabase();
        Assert.Equal(["model.register", "model.documents"], await db.AuditEntries.OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
    }

    [Theory]
    [InlineData(ModelFiles.MetricsFileName, "{ not json", "metrics.json is not valid JSON")]
    [InlineData(ModelFiles.MetricsFileName, "[1, 2]", "metrics.json must hold a JSON object")]
    [InlineData(ModelFiles.SamplesFileName, "GIF89a", "samples.png is not a PNG image")]
    public async Task A_bad_document_refuses_the_version_naming_the_file(string file, string content, string reason)
    {
        await using var host = await ServiceHost.StartAsync(_folder.Sub("data"));
        var folder = ServiceHost.WriteModelFolder(_folder.Path, 1);
        File.WriteAllText(Path.Combine(folder, file), content);

        var error = await Assert.ThrowsAsync<ModelRejectedException>(() => host.RegisterAsync(folder, "v1"));

        Assert.Contains(reason, error.Message);
        Assert.Equal(file, error.File);
        await using var db = host.OpenDatabase();
        Assert.Equal(0, await db.ModelVersions.CountAsync());
    }

    [Fact]
    public async Task Rolling_back_returns_to_the_version_active_before_and_nothing_is_deleted()
    {
        await using var host = await ServiceHost.StartAsync(_folder.Sub("data"));
        var v1 = await host.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Path, 1), "v1");
        var v2 = await host.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Path, 2), "v2");
        var v3 = await host.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Path, 3), "v3");
        await Registry(host, r => r.ActivateAsync(v2.WeightsSha256, null));
        await Registry(host, r => r.ActivateAsync(v3.WeightsSha256, null));
        Assert.Equal("v3", await ActiveAsync(host));

        var back = await Registry(host, r => r.RollBackAsync("blueprints-64", null));
        Assert.Equal(v2.Id, back.Id);
        Assert.Equal("v2", await ActiveAsync(host));
        await Registry(host, r => r.RollBackAsync("blueprints-64", null));
        Assert.Equal("v1", await ActiveAsync(host));
        var none = await Assert.ThrowsAsync<ModelRejectedException>(() => Registry(host, r => r.RollBackAsync("blueprints-64", null)));
        Assert.Contains("no earlier active version", none.Message);

        await Registry(host, r => r.ActivateAsync(v3.WeightsSha256, null));
        await Registry(host, r => r.RetireAsync(v1.WeightsSha256, null));
        var retired = await Assert.ThrowsAsync<ModelRejectedException>(() => Registry(host, r => r.RollBackAsync("blueprints-64", null)));
        Assert.Contains("v1, which is retired", retired.Message);
        Assert.Equal("v3", await ActiveAsync(host));

        await using var db = host.OpenDatabase();
        Assert.Equal(3, await db.ModelVersions.CountAsync());
        Assert.Equal(2, await db.AuditEntries.CountAsync(a => a.Action == "model.rollback"));
    }

    [Theory]
    [InlineData(DeviceKind.Cpu, @"^CPU · .+ · \d+ threads?$")]
    [InlineData(DeviceKind.Onnx, @"^ONNX Runtime \d+\.\d+\.\d+ · CPU provider · \d+ threads?$")]
    public async Task The_device_names_its_engine_and_counts_busy_time_and_images(DeviceKind kind, string name)
    {
        await using var host =
            await ServiceHost.StartAsync(_folder.Sub("data"), new() { ["Inference:Device"] = kind.ToString() });
        var device = host.Get<IInferenceDevice>();
        var generator = device.CreateGenerator(ServiceHost.BlueprintsManifest());
        var idle = device.LoadOver(TimeSpan.FromSeconds(10));

        var images = await device.GenerateAsync(generator, Enumerable.Range(0, 4)
            .Select(i => new GenerationItem(ModelValidation.SmokeConditions(generator.Manifest.Schema), (ulong)i)).ToList());
        var busy = device.LoadOver(TimeSpan.FromSeconds(10));

        Assert.Equal(4, images.Length);
        Assert.Matches(name, device.Name);
        if (OpenBlasGemm.IsAvailable && kind == DeviceKind.Cpu)
            Assert.Contains($" {OpenBlasGemm.CoreName} · ", device.Name);
        Assert.Equal(kind, device.Kind);
        Assert.Equal((0.0, 0L), (idle.BusyFraction, idle.ImagesGenerated));
        Assert.Equal((1L, 4L), (busy.Passes, busy.ImagesGenerated));
        Assert.InRange(busy.BusyFraction, 1e-6, 1.0);
        Assert.Throws<ArgumentOutOfRangeException>(() => device.LoadOver(TimeSpan.Zero));
    }

    private static Task<T> Registry<T>(ServiceHost host, Func<ModelRegistry, Task<T>> work) =>
        host.InScope(sp => work(sp.GetRequiredService<ModelRegistry>()));

    private static Task<bool> Registry(ServiceHost host, Func<ModelRegistry, Task> work) =>
        host.InScope(async sp =>
        {
            await work(sp.GetRequiredService<ModelRegistry>());
            return true;
        });

    private static async Task<string> ActiveAsync(ServiceHost host)
    {
        await using var db = host.OpenDatabase();
        return await db.ModelVersions.Where(m => m.Status == ModelVersionStatus.Active).Select(m => m.Version).SingleAsync();
    }
}
