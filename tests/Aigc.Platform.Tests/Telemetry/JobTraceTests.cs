using System.Collections.Concurrent;
using System.Diagnostics;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Aigc.Platform.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Tests.Telemetry;

/// <summary>One trace per job, enqueue → claim → generate → post-process → store, joined through its row.</summary>
public sealed class JobTraceTests : IDisposable
{
    private static readonly Dictionary<string, string> Conditions =
        new() { ["part"] = "flange", ["view"] = "front", ["complexity"] = "low" };

    private readonly TempFolder _folder = new();
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public JobTraceTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == PlatformTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task A_job_run_by_another_worker_has_its_five_spans_in_the_trace_of_its_enqueue()
    {
        var data = _folder.Sub("data");
        await using var portal = await ServiceHost.StartAsync(data);
        await using var worker = new ServiceHost(data);
        await portal.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Path, 2), "v1");

        // Enqueued by one host, run by the other: only the row carries the trace context between them.
        var job = await portal.EnqueueAsync(
            new GenerationRequest("blueprints-64", Conditions, 3, 1, "plain"), ServiceHost.Alice);
        using var stop = new CancellationTokenSource();
        var run = worker.Get<GenerationScheduler>().RunAsync(stop.Token);
        await worker.WaitUntilAsync(
            async db => run.IsFaulted || await db.GenerationJobs.AnyAsync(j => j.Id == job.Id && j.Status == JobStatus.Completed),
            "the job completes");
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        var spans = _stopped.Where(a => Equals(a.GetTagItem(PlatformTelemetry.JobIdTag), job.Id.ToString())).ToList();
        var names = spans.Select(s => s.OperationName).Distinct().OrderBy(n => Array.IndexOf(PlatformTelemetry.JobSpans, n));
        Assert.Equal(PlatformTelemetry.JobSpans, names);
        var enqueue = Assert.Single(spans, s => s.OperationName == "enqueue");
        Assert.Equal(enqueue.Id, await TraceParentAsync(portal, job.Id));
        Assert.All(spans, s => Assert.Equal(enqueue.TraceId, s.TraceId));
        Assert.All(spans.Where(s => s != enqueue), s => Assert.Equal(enqueue.SpanId, s.ParentSpanId));

        // In order: each stage starts no earlier than the one before it ended (one batch of three images here).
        var byName = spans.ToDictionary(s => s.OperationName);
        for (var i = 1; i < PlatformTelemetry.JobSpans.Length; i++)
        {
            var (before, after) = (byName[PlatformTelemetry.JobSpans[i - 1]], byName[PlatformTelemetry.JobSpans[i]]);
            Assert.True(after.StartTimeUtc >= before.StartTimeUtc + before.Duration - TimeSpan.FromMilliseconds(1),
                $"{after.OperationName} began before {before.OperationName} ended");
        }

        Assert.Equal(3, byName["generate"].GetTagItem("aigc.batch.job_images"));
        Assert.Equal("completed", byName["store"].GetTagItem("aigc.store.outcome"));
    }

    [Fact]
    public async Task A_job_enqueued_while_nothing_listens_still_gets_a_trace_context_for_its_worker()
    {
        await using var host = await ServiceHost.StartAsync(_folder.Sub("data"));
        await host.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Path, 2), "v1");
        _listener.Dispose();

        var job = await host.EnqueueAsync(
            new GenerationRequest("blueprints-64", Conditions, 1, 1, "plain"), ServiceHost.Bob);

        var traceParent = await TraceParentAsync(host, job.Id);
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-01$", traceParent);
        Assert.True(ActivityContext.TryParse(traceParent, null, out _));
    }

    private static async Task<string?> TraceParentAsync(ServiceHost host, Guid jobId)
    {
        await using var db = host.OpenDatabase();
        return await db.GenerationJobs.Where(j => j.Id == jobId).Select(j => j.TraceParent).SingleAsync();
    }
}
