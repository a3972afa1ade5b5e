using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Aigc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Aigc.Platform.Tests.Queue;

public sealed class GenerationWorkerTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task The_worker_registers_shipped_models_generates_and_on_a_graceful_stop_hands_its_job_back()
    {
        var shipped = _folder.Sub("models");
        Directory.Move(ServiceHost.WriteModelFolder(_folder.Path, 6), Path.Combine(_folder.Sub("models/blueprints"), "v1"));
        var data = _folder.Sub("data");
        await using var host = await ServiceHost.StartAsync(data, new() { ["Queue:ShippedModelsDirectory"] = shipped },
            GatedDevice.Install);
        // AddGenerationWorker also adds the training worker (decision 0020); this test is about generation's.
        var worker = new ServiceCollection().AddGenerationWorker()
            .Single(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(GenerationWorker));
        var service = (IHostedService)ActivatorUtilities.CreateInstance(host.Services, worker.ImplementationType!);

        await service.StartAsync(CancellationToken.None);
        await host.WaitUntilAsync(db => db.ModelVersions.AnyAsync(m => m.Status == ModelVersionStatus.Active), "the shipped model is registered");
        host.Get<GatedDevice>().HoldAfter(batches: 1);
        var job = await host.EnqueueAsync(new GenerationRequest("blueprints-64@v1", new Dictionary<string, string>
        {
            ["part"] = "pulley", ["view"] = "side", ["complexity"] = "medium",
        }, 64, 3, "default", JobPriority.Bulk), ServiceHost.Alice);
        await host.WaitUntilAsync(db => db.Blueprints.AnyAsync(), "the first images");
        // The second pass is held, so the job is still running when the stop comes; the held pass then ends.
        var stopping = service.StopAsync(CancellationToken.None);
        host.Get<GatedDevice>().Open();
        await stopping;

        await using var db = host.OpenDatabase();
        var stopped = await db.GenerationJobs.SingleAsync(j => j.Id == job.Id);
        Assert.Equal((JobStatus.Queued, 0, (string?)null), (stopped.Status, stopped.Attempts, stopped.LeaseOwner));
        Assert.InRange(stopped.ImagesDone, 1, 63);
        Assert.Equal(stopped.ImagesDone, await db.Blueprints.CountAsync(b => b.JobId == job.Id));
    }
}
