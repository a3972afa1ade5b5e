using System.Net;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Portal.Tests;

/// <summary>A queue with no worker, so jobs stay queued: a full queue answers 503 + Retry-After, cancelling frees room.</summary>
public sealed class ApiBackpressureTests
{
    [Fact]
    public async Task A_full_queue_answers_503_with_Retry_After_creating_nothing_and_a_cancel_frees_room()
    {
        await using var host = new PortalHost(new Dictionary<string, string?> { ["Queue:RunWorker"] = "false", ["Queue:MaxQueuedImages"] = "5" });
        var user = await host.CreateUserAsync("api-busy@aigc.test", PortalRoles.Designer);
        using var client = host.NewClient();
        await client.SignInOrFailAsync("api-busy@aigc.test", TestUsers.Password);
        var token = await client.AntiforgeryTokenAsync();

        var first = await (await client.SubmitAsync(ApiRequests.Request(count: 3), token)).JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("queued", first.GetProperty("status").GetString());
        Assert.Equal(0, first.GetProperty("imagesAhead").GetInt32());
        var second = await (await client.SubmitAsync(ApiRequests.Request(count: 2, seed: null), token)).JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(3, second.GetProperty("imagesAhead").GetInt32());

        var full = await client.SubmitAsync(ApiRequests.Request(count: 1), token);
        var problem = await full.ProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.Equal("count", problem.GetProperty("field").GetString());
        var retryAfter = full.Headers.RetryAfter!.Delta!.Value;
        Assert.True(retryAfter >= TimeSpan.FromSeconds(1), $"Retry-After {retryAfter}");
        Assert.Equal((int)retryAfter.TotalSeconds, problem.GetProperty("retryAfterSeconds").GetInt32());
        var jobs = await host.QueryAsync(db => db.GenerationJobs.Where(j => j.UserId == user.Id).ToListAsync());
        Assert.Equal(2, jobs.Count);
        Assert.All(jobs, j => Assert.Equal(JobStatus.Queued, j.Status));

        var firstId = first.GetProperty("id").GetGuid();
        var cancelled = await (await client.SendApiAsync(HttpMethod.Delete, $"/api/generations/{firstId}", antiforgery: token)).JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, cancelled.GetProperty("completedAt").ValueKind);
        var again = await client.SendApiAsync(HttpMethod.Delete, $"/api/generations/{firstId}", antiforgery: token);
        Assert.Contains("cancelled", (await again.ProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString());

        // The second job moves up, and the freed room takes a new job.
        var secondNow = await (await client.GetAsync($"/api/generations/{second.GetProperty("id").GetGuid()}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, secondNow.GetProperty("imagesAhead").GetInt32());
        await (await client.SubmitAsync(ApiRequests.Request(count: 3), token)).JsonAsync(HttpStatusCode.Accepted);

        var events = await client.EventsAsync($"/api/generations/{firstId}/events");
        Assert.Equal(["progress", "done"], events.Select(e => e.Type));
        Assert.Equal("cancelled", events[^1].Data.GetProperty("status").GetString());
    }
}
