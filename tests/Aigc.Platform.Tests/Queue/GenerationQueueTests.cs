using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Platform.Tests.Queue;

public sealed class GenerationQueueTests : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Gear = new() { ["part"] = "spur_gear", ["view"] = "front", ["complexity"] = "low" };

    private readonly TempFolder _folder = new();
    private ServiceHost _host = null!;

    public async Task InitializeAsync()
    {
        _host = await ServiceHost.StartAsync(_folder.Sub("data"), new()
        {
            ["Queue:QueuedImageCaps:Designer"] = "40",
            ["Queue:DailyImageQuotas:Designer"] = "100",
            ["Queue:MaxQueuedImages"] = "70",
        });
        await _host.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Path, 1), "v1");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _folder.Dispose();
    }

    [Theory]
    [InlineData("model", "nope", "part", "spur_gear", 4, "plain", "No model version \"nope\"")]
    [InlineData("conditions.part", "blueprints-64", "part", "sprocket", 4, "plain", "\"sprocket\" is not a value of \"part\"")]
    [InlineData("conditions.colour", "blueprints-64", "colour", "red", 4, "plain", "Unknown condition \"colour\"")]
    [InlineData("count", "blueprints-64", "part", "spur_gear", 0, "plain", "count must be from 1 to 64 (got 0)")]
    [InlineData("count", "blueprints-64", "part", "spur_gear", 65, "plain", "count must be from 1 to 64 (got 65)")]
    [InlineData("preset", "blueprints-64", "part", "spur_gear", 4, "glossy", "Unknown preset \"glossy\"")]
    public async Task Invalid_requests_are_refused_naming_the_field(string field, string model, string condition, string value, int count, string preset, string message)
    {
        var conditions = new Dictionary<string, string>(Gear) { [condition] = value };
        var error = await Assert.ThrowsAsync<GenerationRefusedException>(() =>
            _host.EnqueueAsync(new GenerationRequest(model, conditions, count, 1, preset), ServiceHost.Alice));

        Assert.Equal((RefusalKind.Invalid, field), (error.Kind, error.Field));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task A_missing_condition_is_refused_with_its_values()
    {
        var error = await Assert.ThrowsAsync<GenerationRefusedException>(() =>
            _host.EnqueueAsync(new GenerationRequest("blueprints-64", new Dictionary<string, string> { ["part"] = "flange", ["view"] = "side" }, 1), ServiceHost.Alice));
        Assert.Equal("conditions.complexity", error.Field);
        Assert.Contains("low, medium, high", error.Message);
    }

    [Fact]
    public async Task The_queued_images_cap_the_daily_quota_and_a_full_queue_are_refused_with_clear_answers()
    {
        await _host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 30), ServiceHost.Alice);
        var cap = await Assert.ThrowsAsync<GenerationRefusedException>(() => _host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 11), ServiceHost.Alice));
        Assert.Equal(RefusalKind.Limit, cap.Kind);
        Assert.Contains("You may have 40 images queued at once; 30 are queued, so 10 more fit now.", cap.Message);
        var tenMore = await _host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 10), ServiceHost.Alice);

        // Cancelled images no longer count against the cap, and only produced ones against the quota.
        Assert.True(await Cancel(tenMore.Id, ServiceHost.Alice));
        await _host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 10), ServiceHost.Alice);

        var full = await Assert.ThrowsAsync<GenerationRefusedException>(() => _host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 31), ServiceHost.Bob));
        Assert.Equal(RefusalKind.QueueFull, full.Kind);
        Assert.Contains("The queue is full (40 images waiting)", full.Message);
        Assert.True(full.RetryAfter >= TimeSpan.FromSeconds(1));

        await CompleteAllAsync();
        await _host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 40), ServiceHost.Alice);
        await CompleteAllAsync();
        var quota = await Assert.ThrowsAsync<GenerationRefusedException>(() => _host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 30), ServiceHost.Alice));
        Assert.Equal(RefusalKind.Limit, quota.Kind);
        Assert.Contains("Your daily quota is 100 images (UTC day); 80 used, 20 left.", quota.Message);
    }

    [Fact]
    public async Task Another_users_job_is_invisible_and_cannot_be_cancelled_but_an_admin_can()
    {
        var job = await _host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 4, 42), ServiceHost.Alice);

        Assert.Null(await Get(job.Id, ServiceHost.Bob));
        Assert.False(await Cancel(job.Id, ServiceHost.Bob));
        Assert.Equal(JobStatus.Queued, (await Get(job.Id, ServiceHost.Alice))!.Status);
        Assert.Equal(42, (await Get(job.Id, ServiceHost.Alice))!.Seed);
        var later = await _host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 2), ServiceHost.Bob);
        var bulk = await _host.EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 8, null, null, JobPriority.Bulk), ServiceHost.Bob);
        Assert.Equal(4, await _host.InScope(sp => sp.GetRequiredService<GenerationQueue>().ImagesAheadAsync(later)));
        Assert.Equal(6, await _host.InScope(sp => sp.GetRequiredService<GenerationQueue>().ImagesAheadAsync(bulk)));

        Assert.True(await Cancel(job.Id, ServiceHost.Admin));
        Assert.Equal(JobStatus.Cancelled, (await Get(job.Id, ServiceHost.Alice))!.Status);
        Assert.False(await Cancel(job.Id, ServiceHost.Alice));
    }

    /// <summary>Marks every job completed, so the cap (which counts waiting images) leaves room and only the quota applies.</summary>
    private async Task CompleteAllAsync()
    {
        await using var db = _host.OpenDatabase();
        foreach (var job in db.GenerationJobs.Where(j => j.Status == JobStatus.Queued))
            job.Status = JobStatus.Completed;
        await db.SaveChangesAsync();
    }

    private Task<GenerationJob?> Get(Guid id, Requester requester) =>
        _host.InScope(sp => sp.GetRequiredService<GenerationQueue>().GetAsync(id, requester));

    private Task<bool> Cancel(Guid id, Requester requester) =>
        _host.InScope(sp => sp.GetRequiredService<GenerationQueue>().CancelAsync(id, requester));
}
