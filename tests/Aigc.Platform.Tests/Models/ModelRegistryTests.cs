using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Aigc.Platform.Models;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Platform.Tests.Models;

public sealed class ModelRegistryTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Registering_installs_the_files_by_hash_and_the_first_version_of_a_name_is_active()
    {
        await using var host = await ServiceHost.StartAsync(_folder.Sub("data"));
        var first = await host.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Path, 1), "v1");
        var second = await host.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Path, 2), "v2");
        var again = await host.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Path, 1), "v1-copy");

        Assert.Equal((ModelVersionStatus.Active, ModelVersionStatus.Draft), (first.Status, second.Status));
        Assert.Equal(first.Id, again.Id);
        Assert.Equal("admin@example.com", first.AddedBy);
        var files = host.Get<ModelFiles>();
        Assert.Equal(first.WeightsSha256, await ModelFiles.HashAsync(files.WeightsOf(first.WeightsSha256), default));
        Assert.Equal(2, Directory.GetDirectories(files.Root).Length);
        await using var db = host.OpenDatabase();
        Assert.Equal(["model.register", "model.register"], await db.AuditEntries.OrderBy(a => a.Id).Select(a => a.Action).ToListAsync());
    }

    [Fact]
    public async Task Activating_moves_the_pointer_rolling_back_moves_it_back_and_retired_versions_are_refused()
    {
        await using var host = await ServiceHost.StartAsync(_folder.Sub("data"));
        var v1 = await host.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Path, 1), "v1");
        var v2 = await host.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Path, 2), "v2");
        var roles = new[] { PortalRoles.Designer };

        await Registry(host, r => r.ActivateAsync(v2.WeightsSha256, null));
        Assert.Equal(v2.Id, (await Resolve(host, "blueprints-64", roles)).Id);
        await Registry(host, r => r.ActivateAsync(v1.WeightsSha256, null));
        Assert.Equal(v1.Id, (await Resolve(host, "blueprints-64", roles)).Id);
        Assert.Equal(v2.Id, (await Resolve(host, "blueprints-64@v2", roles)).Id);
        Assert.Equal(v2.Id, (await Resolve(host, v2.WeightsSha256, roles)).Id);

        await Registry(host, r => r.RetireAsync(v2.WeightsSha256, null));
        var retired = await Assert.ThrowsAsync<ModelRejectedException>(() => Resolve(host, "blueprints-64@v2", roles));
        Assert.Contains("retired", retired.Message);
        Assert.Contains("No model version \"nope\"", (await Assert.ThrowsAsync<ModelRejectedException>(() => Resolve(host, "nope", roles))).Message);

        await Registry(host, r => r.RestrictAsync(v1.WeightsSha256, [PortalRoles.Marketer], null));
        Assert.Contains("open to Marketer only", (await Assert.ThrowsAsync<ModelRejectedException>(() => Resolve(host, "blueprints-64", roles))).Message);
        Assert.Equal(v1.Id, (await Resolve(host, "blueprints-64", [PortalRoles.Marketer])).Id);

        await using var db = host.OpenDatabase();
        Assert.Equal(2, await db.ModelVersions.CountAsync());
    }

    [Fact]
    public async Task Weights_that_do_not_fit_the_manifest_are_rejected_with_the_reason()
    {
        await using var host = await ServiceHost.StartAsync(_folder.Sub("data"));
        var folder = ServiceHost.WriteModelFolder(_folder.Path, 1);
        var wider = ServiceHost.BlueprintsManifest().ToJson().Replace("\"out\": 256", "\"out\": 128");
        File.WriteAllText(Path.Combine(folder, ModelFiles.ManifestFileName), wider);

        var error = await Assert.ThrowsAsync<ModelRejectedException>(() => host.RegisterAsync(folder, "v1"));

        Assert.Contains("does not fit manifest", error.Message);
        Assert.Contains("shape", error.Message, StringComparison.OrdinalIgnoreCase);
        await using var db = host.OpenDatabase();
        Assert.Equal(0, await db.ModelVersions.CountAsync());
        Assert.False(Directory.Exists(host.Get<ModelFiles>().Root) && Directory.EnumerateFileSystemEntries(host.Get<ModelFiles>().Root).Any());
    }

    [Fact]
    public async Task Shipped_folders_are_registered_at_start_and_none_is_a_no_op()
    {
        await using var host = await ServiceHost.StartAsync(_folder.Sub("data"));
        var shipped = _folder.Sub("models");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "models", "blueprints", "manifest.json"), Path.Combine(_folder.Sub("models/manifest-only"), "manifest.json"));

        Assert.Empty(await Registry(host, r => r.RegisterShippedAsync(shipped)));
        Assert.Empty(await Registry(host, r => r.RegisterShippedAsync(Path.Combine(_folder.Path, "absent"))));

        var v1 = ServiceHost.WriteModelFolder(_folder.Path, 5);
        Directory.Move(v1, Path.Combine(_folder.Sub("models/blueprints"), "v1"));
        var registered = await Registry(host, r => r.RegisterShippedAsync(shipped));
        Assert.Equal(("blueprints-64", "v1", ModelVersionStatus.Active), (registered.Single().Name, registered.Single().Version, registered.Single().Status));
        Assert.Equal(registered.Single().Id, (await Registry(host, r => r.RegisterShippedAsync(shipped))).Single().Id);
    }

    [Fact]
    public async Task A_fresh_installation_starts_on_the_newest_shipped_version_and_an_existing_one_gets_new_versions_as_drafts()
    {
        var shipped = _folder.Sub("models");
        foreach (var (version, seed) in new[] { ("v1", 1UL), ("v2", 2UL), ("v10", 3UL) })
            Directory.Move(ServiceHost.WriteModelFolder(_folder.Path, seed), Path.Combine(_folder.Sub("models/blueprints"), version));

        await using (var fresh = await ServiceHost.StartAsync(_folder.Sub("fresh")))
        {
            var registered = await Registry(fresh, r => r.RegisterShippedAsync(shipped));
            Assert.Equal([("v1", ModelVersionStatus.Draft), ("v2", ModelVersionStatus.Draft), ("v10", ModelVersionStatus.Active)],
                registered.Select(m => (m.Version, m.Status)));
            Assert.Equal("v10", (await Resolve(fresh, "blueprints-64", [PortalRoles.Designer])).Version);
        }

        await using var existing = await ServiceHost.StartAsync(_folder.Sub("existing"));
        await existing.RegisterAsync(Path.Combine(shipped, "blueprints", "v1"), "v1");
        var upgraded = await Registry(existing, r => r.RegisterShippedAsync(shipped));
        Assert.Equal([("v1", ModelVersionStatus.Active), ("v2", ModelVersionStatus.Draft), ("v10", ModelVersionStatus.Draft)],
            upgraded.Select(m => (m.Version, m.Status)));
    }

    [Fact]
    public async Task A_corrupted_installed_file_fails_its_load_with_the_reason_while_other_versions_load()
    {
        await using var host = await ServiceHost.StartAsync(_folder.Sub("data"));
        var good = await host.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Path, 1), "v1");
        var bad = await host.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Path, 2), "v2");
        var weights = host.Get<ModelFiles>().WeightsOf(bad.WeightsSha256);
        var bytes = File.ReadAllBytes(weights);
        bytes[^10] ^= 0xFF;
        File.WriteAllBytes(weights, bytes);

        var models = host.Get<LoadedModels>();
        var error = await Assert.ThrowsAsync<ModelRejectedException>(() => models.GetAsync(bad.WeightsSha256));
        Assert.Contains("corrupt", error.Message);
        Assert.NotNull(await models.GetAsync(good.WeightsSha256));
        Assert.Equal([good.WeightsSha256], models.Snapshot().Select(m => m.WeightsSha256));
    }

    [Theory]
    [InlineData("Cpu", 2)]
    [InlineData("Onnx", 4)]
    public async Task Loaded_generators_are_evicted_least_recently_used_beyond_the_memory_cap(
        string device, int timesWeights)
    {
        var data = _folder.Sub("data");
        var versions = new List<ModelVersion>();
        await using (var registering = await ServiceHost.StartAsync(data))
        {
            for (var i = 1; i <= 3; i++)
                versions.Add(await registering.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Path, (ulong)i), $"v{i}"));
        }

        // A loaded generator counts twice its weights on our engine, four times on ONNX Runtime (the engine's copy and
        // the session's); this cap holds two of them, not three.
        var capMegabytes = (int)Math.Ceiling(2.5 * timesWeights * versions[0].WeightsBytes / (1024.0 * 1024));
        await using var host = new ServiceHost(data,
            new() { ["Queue:ModelCacheMegabytes"] = capMegabytes.ToString(), ["Inference:Device"] = device });
        var models = host.Get<LoadedModels>();

        var first = await models.GetAsync(versions[0].WeightsSha256);
        Assert.Same(first, await models.GetAsync(versions[0].WeightsSha256));
        await models.GetAsync(versions[1].WeightsSha256);
        await models.GetAsync(versions[0].WeightsSha256);
        await models.GetAsync(versions[2].WeightsSha256);

        Assert.Equal([versions[2].WeightsSha256, versions[0].WeightsSha256], models.Snapshot().Select(m => m.WeightsSha256));
        Assert.True(models.Snapshot().Sum(m => m.EstimatedBytes) <= models.CapacityBytes);
    }

    private static Task<T> Registry<T>(ServiceHost host, Func<ModelRegistry, Task<T>> action) =>
        host.InScope(sp => action(sp.GetRequiredService<ModelRegistry>()));

    private static Task<bool> Registry(ServiceHost host, Func<ModelRegistry, Task> action) =>
        host.InScope(async sp =>
        {
            await action(sp.GetRequiredService<ModelRegistry>());
            return true;
        });

    private static Task<ModelVersion> Resolve(ServiceHost host, string reference, string[] roles) =>
        Registry(host, r => r.ResolveForUseAsync(reference, roles));
}
