using System.Net;
using Aigc.Platform.Accounts;
using Aigc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aigc.Portal.Tests;

/// <summary>
/// Every job costs a submission and an event stream; neither reads the job's row more often than it must. No worker
/// runs, so the only reads are the requests' own.
/// </summary>
public sealed class ApiJobReadTests
{
    [Fact]
    public async Task A_submission_does_not_read_back_its_job_and_an_event_stream_reads_it_once_to_check_access()
    {
        var reads = JobRowReads();
        await using var host = new PortalHost(
            new Dictionary<string, string?> { ["Queue:RunWorker"] = "false", [$"Logging:LogLevel:{DbLoggerCategory.Database.Command.Name}"] = "Information" },
            services: s => s.AddSingleton<ILoggerProvider>(reads));
        await host.CreateUserAsync("api-reads@aigc.test", PortalRoles.Designer);
        using var client = host.NewClient();
        await client.SignInOrFailAsync("api-reads@aigc.test", TestUsers.Password);
        var token = await client.AntiforgeryTokenAsync();

        reads.Reset();
        var job = await (await client.SubmitAsync(ApiRequests.Request(count: 2, seed: 5), token)).JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal(0, reads.Count);
        Assert.Equal("queued", job.GetProperty("status").GetString());
        Assert.Equal(0, job.GetProperty("imagesAhead").GetInt32());
        Assert.Equal(5, job.GetProperty("seed").GetInt64());
        Assert.EndsWith("Z", job.GetProperty("createdAt").GetString());

        var id = job.GetProperty("id").GetGuid();
        await (await client.SendApiAsync(HttpMethod.Delete, $"/api/generations/{id}", antiforgery: token)).JsonAsync(HttpStatusCode.Accepted);
        var fresh = await (await client.GetAsync($"/api/generations/{id}")).JsonAsync(HttpStatusCode.OK);

        reads.Reset();
        var events = await client.EventsAsync($"/api/generations/{id}/events");
        // The access check, then the watch's reading of a job that has ended; the request's fields come from the first.
        Assert.Equal(2, reads.Count);
        Assert.Equal("done", events[^1].Type);
        Assert.Equal(fresh.GetRawText(), events[^1].Data.GetRawText());
    }

    /// <summary>Reads of a whole GenerationJobs row: the only commands that name its ConditionsJson.</summary>
    private static QueryCounter JobRowReads() => new(text =>
        text.Contains("SELECT", StringComparison.Ordinal) && text.Contains("FROM \"GenerationJobs\"", StringComparison.Ordinal)
        && text.Contains("\"ConditionsJson\"", StringComparison.Ordinal));
}
