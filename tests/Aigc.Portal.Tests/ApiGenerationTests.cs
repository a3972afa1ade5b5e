using System.Net;
using System.Text.Json;
using Aigc.Imaging.Metadata;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Aigc.Platform.Models;
using Aigc.Platform.Queue;
using Aigc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Portal.Tests;

/// <summary>The generation API on a real server with the shipped model and its worker, signed in by cookie.</summary>
public sealed class ApiGenerationTests(PortalHostFixture fixture) : IClassFixture<PortalHostFixture>
{
    private PortalHost Host => fixture.Host;

    [Fact]
    public async Task A_submitted_job_streams_progress_then_done_with_all_its_images_which_can_be_fetched()
    {
        await Host.CreateUserAsync("api-flow@aigc.test", PortalRoles.Designer);
        using var client = await SignedInAsync("api-flow@aigc.test");
        var token = await client.AntiforgeryTokenAsync();

        var response = await client.SubmitAsync(ApiRequests.Request(count: 3, seed: 7), token);
        var job = await response.JsonAsync(HttpStatusCode.Accepted);
        var id = job.GetProperty("id").GetGuid();
        Assert.Equal($"/api/generations/{id}", response.Headers.Location!.OriginalString);
        Assert.Contains(job.GetProperty("status").GetString(), new[] { "queued", "running", "completed" });
        Assert.Equal("blueprints-64", job.GetProperty("model").GetProperty("name").GetString());
        Assert.Equal("v2", job.GetProperty("model").GetProperty("version").GetString());
        Assert.Equal(64, job.GetProperty("model").GetProperty("sha256").GetString()!.Length);
        Assert.Equal("spur_gear", job.GetProperty("conditions").GetProperty("part").GetString());
        Assert.Equal(3, job.GetProperty("count").GetInt32());
        Assert.Equal(7, job.GetProperty("seed").GetInt64());
        Assert.Equal("default", job.GetProperty("preset").GetString());
        Assert.Equal("interactive", job.GetProperty("priority").GetString());
        Assert.EndsWith("Z", job.GetProperty("createdAt").GetString());

        var events = await client.EventsAsync($"/api/generations/{id}/events");
        Assert.True(events.Count >= 2, $"{events.Count} events");
        Assert.All(events[..^1], e => Assert.Equal("progress", e.Type));
        var (lastType, done) = events[^1];
        Assert.Equal("done", lastType);
        // The stream builds each event from its first view and the later readings: the last is the job as a fresh read gives it.
        Assert.Equal((await (await client.GetAsync($"/api/generations/{id}")).JsonAsync(HttpStatusCode.OK)).GetRawText(), done.GetRawText());
        Assert.Equal("completed", done.GetProperty("status").GetString());
        Assert.Equal(3, done.GetProperty("imagesDone").GetInt32());
        Assert.Equal(JsonValueKind.Null, done.GetProperty("imagesAhead").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, done.GetProperty("completedAt").ValueKind);
        var images = done.GetProperty("images").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2], images.Select(i => i.GetProperty("index").GetInt32()));
        Assert.Equal([7L, 8L, 9L], images.Select(i => i.GetProperty("seed").GetInt64()));

        var first = images[0];
        var blueprintId = first.GetProperty("id").GetGuid();
        var image = await client.GetAsync(first.GetProperty("url").GetString()!);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType!.MediaType);
        Assert.Equal(7, BlueprintMetadata.Read(await image.Content.ReadAsByteArrayAsync())!.Seed);
        var download = await client.GetAsync($"/api/blueprints/{blueprintId}/image?download=true");
        Assert.Equal("spur_gear-front-low-seed7.png", download.Content.Headers.ContentDisposition!.FileName!.Trim('"'));

        var blueprint = await (await client.GetAsync($"/api/blueprints/{blueprintId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(id, blueprint.GetProperty("jobId").GetGuid());
        Assert.Equal(0, blueprint.GetProperty("index").GetInt32());
        Assert.Equal(7, blueprint.GetProperty("seed").GetInt64());
        Assert.Equal("front", blueprint.GetProperty("conditions").GetProperty("view").GetString());
        Assert.Equal("blueprints-64", blueprint.GetProperty("model").GetProperty("name").GetString());
        Assert.Equal(image.Headers.ETag!.Tag.Trim('"'), blueprint.GetProperty("sha256").GetString());
        Assert.Equal(image.Content.Headers.ContentLength, blueprint.GetProperty("bytes").GetInt64());
        Assert.True(blueprint.GetProperty("width").GetInt32() > 0);
        Assert.Equal($"/api/blueprints/{blueprintId}/image", blueprint.GetProperty("imageUrl").GetString());
        var thumbnail = await client.GetAsync(blueprint.GetProperty("thumbnailUrl").GetString()!);
        Assert.Equal(HttpStatusCode.OK, thumbnail.StatusCode);

        var read = await (await client.GetAsync($"/api/generations/{id}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("completed", read.GetProperty("status").GetString());
        Assert.Equal(3, read.GetProperty("images").GetArrayLength());

        // Already ended: nothing to cancel.
        var cancel = await client.SendApiAsync(HttpMethod.Delete, $"/api/generations/{id}", antiforgery: token);
        Assert.Contains("completed", (await cancel.ProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString());
    }

    [Fact]
    public async Task A_running_job_cancelled_stops_early_keeps_its_images_and_its_stream_ends_with_done()
    {
        // A portal of its own whose device holds every pass after the first: the job is certainly still running when
        // it is cancelled, however fast the machine (a 64-image job once completed before the cancel reached it).
        await using var host = new PortalHost(services: GatedDevice.Install);
        await host.CreateUserAsync("api-cancel@aigc.test", PortalRoles.Designer);
        using var client = host.NewClient();
        await client.SignInOrFailAsync("api-cancel@aigc.test", TestUsers.Password);
        var token = await client.AntiforgeryTokenAsync();
        var gate = host.Services.GetRequiredService<GatedDevice>();
        gate.HoldAfter(batches: 1);
        var job = await (await client.SubmitAsync(ApiRequests.Request(count: 64), token)).JsonAsync(HttpStatusCode.Accepted);
        var id = job.GetProperty("id").GetGuid();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var progress in host.Services.GetRequiredService<JobProgressFeed>()
                           .WatchAsync(id, new Requester(PortalHost.AdminEmail, [PortalRoles.Admin]), timeout.Token))
        {
            if (progress.ImagesDone > 0)
                break;
        }

        var cancelled = await (await client.SendApiAsync(HttpMethod.Delete, $"/api/generations/{id}", antiforgery: token))
            .JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        gate.Open();
        var events = await client.EventsAsync($"/api/generations/{id}/events");
        var done = events[^1];
        Assert.Equal("done", done.Type);
        Assert.Equal("cancelled", done.Data.GetProperty("status").GetString());
        var made = done.Data.GetProperty("imagesDone").GetInt32();
        Assert.InRange(made, 1, 63);
        Assert.Equal(made, done.Data.GetProperty("images").GetArrayLength());
    }

    [Fact]
    public async Task Invalid_requests_get_400_problems_naming_the_field_and_create_nothing()
    {
        var user = await Host.CreateUserAsync("api-invalid@aigc.test", PortalRoles.Designer);
        using var client = await SignedInAsync("api-invalid@aigc.test");
        var token = await client.AntiforgeryTokenAsync();

        async Task<string> RefusedAsync(object body, string field) =>
            (await (await client.SubmitAsync(body, token)).ProblemAsync(HttpStatusCode.BadRequest)).FieldError(field);

        Assert.Contains("cog_wheel", await RefusedAsync(ApiRequests.Request(conditions: new() { ["part"] = "cog_wheel", ["view"] = "front", ["complexity"] = "low" }), "conditions.part"));
        Assert.Contains("colour", await RefusedAsync(ApiRequests.Request(conditions: new() { ["part"] = "spur_gear", ["view"] = "front", ["complexity"] = "low", ["colour"] = "red" }), "conditions.colour"));
        Assert.Contains("required", await RefusedAsync(ApiRequests.Request(conditions: new() { ["part"] = "spur_gear" }), "conditions.view"));
        Assert.Contains("1 to 64", await RefusedAsync(ApiRequests.Request(count: 65), "count"));
        Assert.Contains("1 to 64", await RefusedAsync(ApiRequests.Request(count: 0), "count"));
        Assert.Contains("seed", await RefusedAsync(ApiRequests.Request(seed: -1), "seed"));
        Assert.Contains("nope", await RefusedAsync(ApiRequests.Request(model: "nope"), "model"));
        Assert.Contains("required", await RefusedAsync(new { conditions = ApiRequests.SpurGear, count = 1 }, "model"));
        Assert.Contains("required", await RefusedAsync(new { model = "blueprints-64", conditions = ApiRequests.SpurGear }, "count"));
        Assert.Contains("wrong type", await RefusedAsync("""{"model":"blueprints-64","count":"four"}""", "count"));
        Assert.Contains("bulk", await RefusedAsync(new { model = "blueprints-64", conditions = ApiRequests.SpurGear, count = 1, priority = "urgent" }, "priority"));
        Assert.Contains("sepia", await RefusedAsync(new { model = "blueprints-64", conditions = ApiRequests.SpurGear, count = 1, preset = "sepia" }, "preset"));

        var malformed = await (await client.SubmitAsync("{\"model\": ", token)).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("The body is not valid JSON", malformed.GetProperty("title").GetString());
        var notJson = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/generations")
        {
            Content = new StringContent("model=blueprints-64"),
            Headers = { { "RequestVerificationToken", token } },
        });
        await notJson.ProblemAsync(HttpStatusCode.UnsupportedMediaType);

        Assert.Equal(0, await Host.QueryAsync(db => db.GenerationJobs.CountAsync(j => j.UserId == user.Id)));
    }

    [Fact]
    public async Task A_retired_model_is_refused_naming_the_model_field()
    {
        await Host.CreateUserAsync("api-retired@aigc.test", PortalRoles.Designer);
        using var client = await SignedInAsync("api-retired@aigc.test");
        var token = await client.AntiforgeryTokenAsync();
        var sha = await Host.QueryAsync(db => db.ModelVersions.Where(m => m.Name == "blueprints-64" && m.Status == ModelVersionStatus.Active).Select(m => m.WeightsSha256).SingleAsync());
        await using (var scope = Host.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ModelRegistry>().RetireAsync(sha, null);
        }

        try
        {
            var problem = await (await client.SubmitAsync(ApiRequests.Request(model: $"blueprints-64@v2"), token)).ProblemAsync(HttpStatusCode.BadRequest);
            Assert.Contains("retired", problem.FieldError("model"));
            var models = await (await client.GetAsync("/api/models")).JsonAsync(HttpStatusCode.OK);
            Assert.DoesNotContain(models.EnumerateArray(), m => m.GetProperty("sha256").GetString() == sha);
        }
        finally
        {
            await using var scope = Host.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ModelRegistry>().ActivateAsync(sha, null);
        }
    }

    [Fact]
    public async Task Another_user_gets_404_for_the_job_its_events_its_cancel_its_blueprint_and_image_and_an_admin_sees_it()
    {
        await Host.CreateUserAsync("api-owner@aigc.test", PortalRoles.Designer);
        await Host.CreateUserAsync("api-stranger@aigc.test", PortalRoles.Designer);
        using var owner = await SignedInAsync("api-owner@aigc.test");
        var job = await (await owner.SubmitAsync(ApiRequests.Request(), await owner.AntiforgeryTokenAsync())).JsonAsync(HttpStatusCode.Accepted);
        var id = job.GetProperty("id").GetGuid();
        var done = (await owner.EventsAsync($"/api/generations/{id}/events"))[^1].Data;
        var blueprintId = done.GetProperty("images")[0].GetProperty("id").GetGuid();

        using var stranger = await SignedInAsync("api-stranger@aigc.test");
        var token = await stranger.AntiforgeryTokenAsync();
        foreach (var path in new[] { $"/api/generations/{id}", $"/api/generations/{id}/events", $"/api/blueprints/{blueprintId}",
                     $"/api/blueprints/{blueprintId}/image", $"/api/blueprints/{blueprintId}/thumbnail", $"/api/generations/{Guid.NewGuid()}" })
        {
            await (await stranger.GetAsync(path)).ProblemAsync(HttpStatusCode.NotFound);
        }

        await (await stranger.SendApiAsync(HttpMethod.Delete, $"/api/generations/{id}", antiforgery: token)).ProblemAsync(HttpStatusCode.NotFound);
        var list = await (await stranger.GetAsync("/api/generations")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, list.GetProperty("total").GetInt32());

        using var admin = await SignedInAsync(PortalHost.AdminEmail, PortalHost.AdminPassword);
        Assert.Equal(id, (await (await admin.GetAsync($"/api/generations/{id}")).JsonAsync(HttpStatusCode.OK)).GetProperty("id").GetGuid());
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/blueprints/{blueprintId}/image")).StatusCode);
    }

    [Fact]
    public async Task Cookie_calls_that_change_state_need_the_antiforgery_header()
    {
        var user = await Host.CreateUserAsync("api-csrf@aigc.test", PortalRoles.Designer);
        using var client = await SignedInAsync("api-csrf@aigc.test");
        var problem = await (await client.SubmitAsync(ApiRequests.Request())).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("RequestVerificationToken", problem.GetProperty("detail").GetString());
        await (await client.SubmitAsync(ApiRequests.Request(), antiforgery: "forged")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(0, await Host.QueryAsync(db => db.GenerationJobs.CountAsync(j => j.UserId == user.Id)));

        var job = await (await client.SubmitAsync(ApiRequests.Request(), await client.AntiforgeryTokenAsync())).JsonAsync(HttpStatusCode.Accepted);
        var id = job.GetProperty("id").GetGuid();
        await (await client.SendApiAsync(HttpMethod.Delete, $"/api/generations/{id}")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Jobs_are_listed_newest_first_and_filtered_by_status()
    {
        await Host.CreateUserAsync("api-list@aigc.test", PortalRoles.Designer);
        using var client = await SignedInAsync("api-list@aigc.test");
        var token = await client.AntiforgeryTokenAsync();
        var ids = new List<Guid>();
        for (var i = 0; i < 2; i++)
            ids.Add((await (await client.SubmitAsync(ApiRequests.Request(), token)).JsonAsync(HttpStatusCode.Accepted)).GetProperty("id").GetGuid());
        await client.EventsAsync($"/api/generations/{ids[1]}/events");
        await client.EventsAsync($"/api/generations/{ids[0]}/events");

        var page = await (await client.GetAsync("/api/generations")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, page.GetProperty("total").GetInt32());
        Assert.Equal([ids[1], ids[0]], page.GetProperty("items").EnumerateArray().Select(j => j.GetProperty("id").GetGuid()));
        var completed = await (await client.GetAsync("/api/generations?status=completed&page=1")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(2, completed.GetProperty("items").GetArrayLength());
        var queued = await (await client.GetAsync("/api/generations?status=queued")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, queued.GetProperty("total").GetInt32());
        var bad = await (await client.GetAsync("/api/generations?status=lost")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("lost", bad.FieldError("status"));
        await (await client.GetAsync("/api/generations?page=0")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Models_list_the_usable_versions_with_their_schema_and_presets()
    {
        await Host.CreateUserAsync("api-models@aigc.test", PortalRoles.Marketer);
        using var client = await SignedInAsync("api-models@aigc.test");
        var models = await (await client.GetAsync("/api/models")).JsonAsync(HttpStatusCode.OK);
        // ModelAccess: active versions first, and drafts too (a superseded version stays usable for reproducing its images).
        var versions = models.EnumerateArray().Where(m => m.GetProperty("name").GetString() == "blueprints-64").ToList();
        Assert.Equal([("v2", "active"), ("v1", "draft")],
            versions.Select(m => (m.GetProperty("version").GetString(), m.GetProperty("status").GetString())));
        var model = versions[0];
        var part = Assert.Single(model.GetProperty("conditions").EnumerateArray(), c => c.GetProperty("name").GetString() == "part");
        Assert.Equal("categorical", part.GetProperty("kind").GetString());
        Assert.Contains("spur_gear", part.GetProperty("values").EnumerateArray().Select(v => v.GetString()));
        Assert.Contains("default", model.GetProperty("presets").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task Api_errors_are_problem_json_never_a_redirect_or_an_html_page()
    {
        using var anonymous = Host.NewClient();
        await (await anonymous.GetAsync("/api/models")).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await anonymous.SubmitAsync(ApiRequests.Request())).ProblemAsync(HttpStatusCode.Unauthorized);

        await Host.CreateUserAsync("api-norole@aigc.test");
        using var noRole = await SignedInAsync("api-norole@aigc.test");
        await (await noRole.GetAsync("/api/models")).ProblemAsync(HttpStatusCode.Forbidden);

        using var admin = await SignedInAsync(PortalHost.AdminEmail, PortalHost.AdminPassword);
        await (await admin.GetAsync("/api/no-such-thing")).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.GetAsync($"/api/generations/not-a-guid")).ProblemAsync(HttpStatusCode.NotFound);
        await (await admin.SendApiAsync(HttpMethod.Put, "/api/models", new { })).ProblemAsync(HttpStatusCode.MethodNotAllowed);
    }

    private async Task<PortalClient> SignedInAsync(string email, string password = TestUsers.Password)
    {
        var client = Host.NewClient();
        await client.SignInOrFailAsync(email, password);
        return client;
    }
}
