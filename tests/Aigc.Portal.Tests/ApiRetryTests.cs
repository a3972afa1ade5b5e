using System.Net;
using System.Text.Json;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Portal.Tests;

/// <summary>POST /api/generations/{id}/retry: a job failed for an infrastructure reason goes back to the queue (decision 0019).</summary>
public sealed class ApiRetryTests(PortalHostFixture fixture) : IClassFixture<PortalHostFixture>
{
    private PortalHost Host => fixture.Host;

    [Fact]
    public async Task A_job_failed_by_storage_is_retried_by_its_owner_and_makes_only_its_missing_image_the_same_as_before()
    {
        await Host.CreateUserAsync("retry-owner@aigc.test", PortalRoles.Designer);
        await Host.CreateUserAsync("retry-other@aigc.test", PortalRoles.Designer);
        using var owner = await SignedInAsync("retry-owner@aigc.test");
        using var other = await SignedInAsync("retry-other@aigc.test");
        var token = await owner.AntiforgeryTokenAsync();
        var id = (await (await owner.SubmitAsync(ApiRequests.Request(count: 2, seed: 11), token)).JsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetGuid();
        Assert.Equal("done", (await owner.EventsAsync($"/api/generations/{id}/events"))[^1].Type);
        await (await owner.SendApiAsync(HttpMethod.Post, $"/api/generations/{id}/retry", antiforgery: token)).ProblemAsync(HttpStatusCode.Conflict);

        // As a full disk leaves it: one image stored, the job failed for an infrastructure reason.
        string lostSha;
        await using (var db = OpenDatabase())
        {
            var lost = await db.Blueprints.SingleAsync(b => b.JobId == id && b.Index == 1);
            lostSha = lost.FileSha256;
            db.Blueprints.Remove(lost);
            await db.SaveChangesAsync();
            await db.GenerationJobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, JobStatus.Failed).SetProperty(j => j.ImagesDone, 1)
                .SetProperty(j => j.FailureCause, FailureCause.Infrastructure).SetProperty(j => j.Error, "No space left on device"));
        }

        var otherToken = await other.AntiforgeryTokenAsync();
        await (await other.SendApiAsync(HttpMethod.Post, $"/api/generations/{id}/retry", antiforgery: otherToken)).ProblemAsync(HttpStatusCode.NotFound);
        var retried = await (await owner.SendApiAsync(HttpMethod.Post, $"/api/generations/{id}/retry", antiforgery: token)).JsonAsync(HttpStatusCode.Accepted);
        Assert.Contains(retried.GetProperty("status").GetString(), new[] { "queued", "running", "completed" });

        var done = (await owner.EventsAsync($"/api/generations/{id}/events"))[^1].Data;
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, done.GetProperty("error").ValueKind);
        await using (var db = OpenDatabase())
        {
            var images = await db.Blueprints.Where(b => b.JobId == id).OrderBy(b => b.Index).ToListAsync();
            Assert.Equal([0, 1], images.Select(b => b.Index));
            Assert.Equal(lostSha, images[1].FileSha256);
            Assert.Equal((2, 1), await db.GenerationJobs.Where(j => j.Id == id).Select(j => new ValueTuple<int, int>(j.ImagesDone, j.Attempts)).SingleAsync());
        }
    }

    [Fact]
    public async Task A_job_that_failed_by_itself_is_not_retried()
    {
        await Host.CreateUserAsync("retry-self@aigc.test", PortalRoles.Designer);
        using var owner = await SignedInAsync("retry-self@aigc.test");
        var token = await owner.AntiforgeryTokenAsync();
        var id = (await (await owner.SubmitAsync(ApiRequests.Request(count: 1, seed: 12), token)).JsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetGuid();
        Assert.Equal("done", (await owner.EventsAsync($"/api/generations/{id}/events"))[^1].Type);
        await using (var db = OpenDatabase())
        {
            await db.GenerationJobs.Where(j => j.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(j => j.Status, JobStatus.Failed).SetProperty(j => j.FailureCause, FailureCause.Job));
        }

        var refused = await (await owner.SendApiAsync(HttpMethod.Post, $"/api/generations/{id}/retry", antiforgery: token)).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("the job itself", refused.GetProperty("detail").GetString());
        await using var after = OpenDatabase();
        Assert.Equal(JobStatus.Failed, await after.GenerationJobs.Where(j => j.Id == id).Select(j => j.Status).SingleAsync());
    }

    private PortalDbContext OpenDatabase() => Host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();

    private async Task<PortalClient> SignedInAsync(string email)
    {
        var client = Host.NewClient();
        await client.SignInOrFailAsync(email, TestUsers.Password);
        return client;
    }
}
