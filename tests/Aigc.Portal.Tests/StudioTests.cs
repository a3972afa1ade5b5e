using System.Net;
using Aigc.Imaging.Metadata;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Aigc.Platform.Studio;
using Aigc.Portal.Features.Studio;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Portal.Tests;

/// <summary>The Studio against a real portal: the prerendered form, its HTTP resources, and the Platform service
/// its page calls.</summary>
public sealed class StudioTests
{
    private static readonly Dictionary<string, string> Flange = new() { ["part"] = "flange", ["view"] = "section",
        ["complexity"] = "high" };

    [Fact]
    public async Task The_form_is_built_from_the_schema_and_the_url_and_chip_samples_are_cached_and_guarded()
    {
        await using var host = new PortalHost(new Dictionary<string, string?> { ["Queue:RunWorker"] = "false" });
        await host.CreateUserAsync("designer@aigc.test", PortalRoles.Designer);
        await host.CreateUserAsync("marketer@aigc.test", PortalRoles.Marketer);
        using var client = await SignedInAsync(host, "designer@aigc.test");

        var page = await client.GetPageAsync(
            "/studio?model=blueprints-64@v1&seed=42&count=3&preset=default&c.part=hex_nut&c.view=side");
        var conditions = page.QuerySelectorAll("[data-testid=condition]").ToDictionary(c
            => c.GetAttribute("data-condition")!,
            c => c.QuerySelectorAll("[data-testid=chip]").ToList());
        Assert.Equal(["part", "view", "complexity"], conditions.Keys);
        Assert.Equal(8, conditions["part"].Count);
        Assert.Equal(["front", "side", "section"], conditions["view"].Select(c => c.GetAttribute("data-value")));
        string Selected(string name) => conditions[name].Single(c
            => c.GetAttribute("data-selected") == "true").GetAttribute("data-value")!;
        Assert.Equal(("hex_nut", "side", "low"), (Selected("part"), Selected("view"), Selected("complexity")));

        // Every chip's sample image is rendered once, cached by hash; a value outside the schema is not found.
        var sample = conditions["part"].Single(c
            => c.GetAttribute("data-value") == "hex_nut").QuerySelector("img")!.GetAttribute("src")!;
        Assert.Contains("/part/hex_nut", sample);
        var image = await client.GetAsync("/" + sample);
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType!.MediaType);
        var again = new HttpRequestMessage(HttpMethod.Get, "/" + sample);
        again.Headers.IfNoneMatch.Add(image.Headers.ETag!);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/" + sample.Replace("hex_nut",
            "sprocket"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound,
            (await client.GetAsync($"/studio/jobs/{Guid.NewGuid()}/contact-sheet")).StatusCode);

        using var marketer = await SignedInAsync(host, "marketer@aigc.test");
        Assert.Equal(HttpStatusCode.Forbidden, (await marketer.GetAsync("/studio")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await marketer.GetAsync("/" + sample)).StatusCode);
    }

    [Fact]
    public async Task Refusals_name_their_fields_nothing_is_queued_for_them_and_accepted_settings_are_remembered()
    {
        await using var host = new PortalHost(new Dictionary<string, string?> { ["Queue:RunWorker"] = "false",
            ["Queue:MaxQueuedImages"] = "6" });
        var user = await host.CreateUserAsync("designer@aigc.test", PortalRoles.Designer);
        var studio = host.Services.GetRequiredService<StudioService>();
        var designer = new Requester(user.Id, [PortalRoles.Designer]);

        async Task<GenerationRefusedException> RefusedAsync(GenerationRequest request) =>
            await Assert.ThrowsAsync<GenerationRefusedException>(() => studio.GenerateAsync(designer, request,
                "count=1"));
        Assert.Equal("count", (await RefusedAsync(Request(count: 0))).Field);
        Assert.Equal("conditions.part",
            (await RefusedAsync(Request(conditions: new(Flange) { ["part"] = "sprocket" }))).Field);
        Assert.Equal("preset", (await RefusedAsync(Request(preset: "glossy"))).Field);
        Assert.Equal("strength", (await RefusedAsync(Request() with { Recipe = GenerationRecipe.Vary(2) })).Field);
        Assert.Null(await studio.LastSettingsAsync(designer));

        var form = StudioForm.FromQueryString(
            "?model=blueprints-64&seed=9&count=5&c.part=flange&c.view=section&c.complexity=high");
        await studio.GenerateAsync(designer, Request(count: 5, seed: 9), form.ToSettings());
        var full = await RefusedAsync(Request(count: 2));
        Assert.Equal(RefusalKind.QueueFull, full.Kind);
        Assert.Matches(@"try again in about \d+ s", full.Message);
        Assert.Equal(1, await host.QueryAsync(db => db.GenerationJobs.CountAsync()));

        var remembered = StudioForm.FromQueryString((await studio.LastSettingsAsync(designer))!);
        Assert.Equal((9L, true, 5, "flange"), (remembered.Seed!.Value, remembered.SeedLocked, remembered.Count,
            remembered.Conditions["part"]));

        // Someone else's job cannot be cancelled; its owner can.
        var job = (await studio.RecentJobsAsync(designer, 4)).Single().Job;
        var other = await host.CreateUserAsync("other@aigc.test", PortalRoles.Designer);
        Assert.False(await studio.CancelAsync(new Requester(other.Id, [PortalRoles.Designer]), job.Id));
        Assert.Empty(await studio.RecentJobsAsync(new Requester(other.Id, [PortalRoles.Designer]), 4));
        Assert.True(await studio.CancelAsync(designer, job.Id));
    }

    [Fact]
    public async Task A_downloaded_png_reproduces_identical_bytes_for_every_recipe_and_bad_files_say_why()
    {
        await using var host = new PortalHost(new Dictionary<string, string?> { ["Studio:MaxUploadBytes"] = "65536" });
        var user = await host.CreateUserAsync("designer@aigc.test", PortalRoles.Designer);
        using var client = await SignedInAsync(host, "designer@aigc.test");
        var studio = host.Services.GetRequiredService<StudioService>();
        var designer = new Requester(user.Id, [PortalRoles.Designer]);

        var tiles = await ImagesAsync(host, designer, await studio.GenerateAsync(designer, Request(count: 3,
            seed: 1234), ""));
        Assert.Equal([1234L, 1235, 1236], tiles.Select(t => t.Seed));
        await RoundTripAsync(host, client, designer, tiles[1].BlueprintId, expectSeed: 1235);

        var varied = await ImagesAsync(host, designer, (await studio.VaryAsync(designer, tiles[0].BlueprintId, 0.3))!);
        Assert.Equal(4, varied.Count);
        await RoundTripAsync(host, client, designer, varied[2].BlueprintId, expectSeed: 1234);

        var stripJob = (await studio.InterpolateAsync(designer, tiles[0].BlueprintId, tiles[2].BlueprintId, 5))!;
        var strip = await ImagesAsync(host, designer, stripJob);
        Assert.Equal(5, strip.Count);
        // Each frame's caption is its own: its position along the strip (the defect: all showed the start seed).
        var captions = strip.Select(s => StudioCaptions.Tile(stripJob, s.Index, s.Seed)).ToList();
        Assert.Equal(["t=0.00", "t=0.25", "t=0.50", "t=0.75", "t=1.00"], captions.Select(c => c.Split(' ')[0]));
        Assert.All(captions, c => Assert.EndsWith("1234→1236", c));
        await RoundTripAsync(host, client, designer, strip[3].BlueprintId, expectSeed: 1234);
        Assert.Equal(await PixelsAsync(client, tiles[0].BlueprintId), await PixelsAsync(client, strip[0].BlueprintId));
        Assert.Equal(await PixelsAsync(client, tiles[2].BlueprintId), await PixelsAsync(client, strip[4].BlueprintId));
        var sheet = await client.GetAsync($"/studio/jobs/{stripJob.Id}/contact-sheet");
        Assert.Equal("image/png", sheet.Content.Headers.ContentType!.MediaType);
        var sheetBytes = await sheet.Content.ReadAsByteArrayAsync();
        // Five frames of 200 px side by side (a PNG's width is the big-endian int at byte 16).
        Assert.Equal(5, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(sheetBytes.AsSpan(16, 4)) / 200);

        var more = await ImagesAsync(host, designer, (await studio.MoreLikeThisAsync(designer, tiles[2].BlueprintId))!);
        Assert.Equal([1237L, 1238, 1239, 1240], more.Select(m => m.Seed));

        // Another user's image is not found for them; files that cannot be reproduced say why.
        var stranger = new Requester((await host.CreateUserAsync("stranger@aigc.test", PortalRoles.Designer)).Id,
            [PortalRoles.Designer]);
        Assert.Null(await studio.VaryAsync(stranger, tiles[0].BlueprintId, 0.2));
        using var strangerClient = await SignedInAsync(host, "stranger@aigc.test");
        Assert.Equal(HttpStatusCode.NotFound,
            (await strangerClient.GetAsync($"/studio/jobs/{stripJob.Id}/contact-sheet")).StatusCode);

        async Task<ReproduceProblem> ProblemAsync(byte[] file) =>
            (await Assert.ThrowsAsync<ReproduceRefusedException>(() => studio.ReproduceAsync(designer,
                new MemoryStream(file)))).Problem;
        Assert.Equal(ReproduceProblem.NotPng, await ProblemAsync("GIF89a not really"u8.ToArray()));
        Assert.Equal(ReproduceProblem.Empty, await ProblemAsync([]));
        Assert.Equal(ReproduceProblem.TooLarge, await ProblemAsync(new byte[70_000]));
        var original = await (await client.GetAsync($"/blueprints/{tiles[0].BlueprintId}/image"))
            .Content.ReadAsByteArrayAsync();
        var made = BlueprintMetadata.Read(original)!;
        var foreign = (made with { ModelName = "elsewhere", WeightsSha256 = new string('0', 64) }).WriteTo(original);
        var unknown = await Assert.ThrowsAsync<ReproduceRefusedException>(() => studio.ReproduceAsync(designer,
            new MemoryStream(foreign)));
        Assert.Equal((ReproduceProblem.UnknownModel, $"elsewhere@{made.ModelVersion}"), (unknown.Problem,
            unknown.Detail));
        Assert.Equal(ReproduceProblem.NoMetadata, await ProblemAsync(await PixelsAsync(client, tiles[0].BlueprintId)));
    }

    [Theory]
    [InlineData(PortalRoles.Admin, true)]
    [InlineData(PortalRoles.Designer, true)]
    [InlineData(PortalRoles.Marketer, false)]
    [InlineData(PortalRoles.Viewer, false)]
    public async Task One_generation_policy_for_the_studio_page_its_service_and_an_api_token(string role, bool allowed)
    {
        await using var host = new PortalHost(new Dictionary<string, string?> { ["Queue:RunWorker"] = "false" });
        var user = await host.CreateUserAsync($"studio-{role.ToLowerInvariant()}@aigc.test", role);
        var requester = new Requester(user.Id, [role]);
        using var client = await SignedInAsync(host, user.Email!);
        Assert.Equal(allowed ? HttpStatusCode.OK : HttpStatusCode.Forbidden,
            (await client.GetAsync("/studio")).StatusCode);

        var studio = host.Services.GetRequiredService<StudioService>();
        if (allowed)
        {
            Assert.NotEmpty(await studio.ModelsAsync(requester));
        }
        else
        {
            var refused = await Assert.ThrowsAsync<GenerationRefusedException>(() => studio.GenerateAsync(requester,
                Request(), ""));
            Assert.Equal(RefusalKind.Forbidden, refused.Kind);
            Assert.Equal(RefusalKind.Forbidden, (await Assert.ThrowsAsync<GenerationRefusedException>(()
                => studio.ModelsAsync(requester))).Kind);
        }

        string secret;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var principal = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
                [new(System.Security.Claims.ClaimTypes.NameIdentifier, user.Id),
                    new(System.Security.Claims.ClaimTypes.Name, user.Email!)], "test"));
            (_, secret) = await scope.ServiceProvider.GetRequiredService<ApiTokens>().CreateAsync(principal, "script",
                null);
        }

        using var script = host.NewClient();
        var response = await script.SubmitAsync(ApiRequests.Request(), bearer: secret);
        Assert.Equal(allowed ? HttpStatusCode.Accepted : HttpStatusCode.Forbidden, response.StatusCode);
        if (!allowed)
            Assert.Contains("Admin and Designer",
                (await response.ProblemAsync(HttpStatusCode.Forbidden)).GetProperty("detail").GetString());
        Assert.Equal(allowed ? 1 : 0, await host.QueryAsync(db => db.GenerationJobs.CountAsync(j
            => j.UserId == user.Id)));
    }

    /// <summary>Download → reproduce → the same request → identical file, metadata included (no creation time
    /// in it).</summary>
    private static async Task RoundTripAsync(PortalHost host, PortalClient client, Requester requester, Guid blueprint,
        long expectSeed)
    {
        var studio = host.Services.GetRequiredService<StudioService>();
        var original = await (await client.GetAsync($"/blueprints/{blueprint}/image?download=true"))
            .Content.ReadAsByteArrayAsync();
        var reproduction = await studio.ReproduceAsync(requester, new MemoryStream(original));
        Assert.Equal(expectSeed, reproduction.Seed);
        var form = StudioForm.FromQueryString(new Uri(new Uri("http://x"),
            StudioForm.FromReproduction(reproduction).ToUrl()).Query);
        Assert.Equal(1, form.Count);
        var job = await studio.GenerateAsync(requester, new GenerationRequest(form.Model!, form.Conditions, form.Count,
            form.Seed,
            form.Preset, Recipe: form.Recipe), form.ToSettings());
        var image = Assert.Single(await ImagesAsync(host, requester, job));
        var again = await client.GetAsync($"/blueprints/{image.BlueprintId}/image?download=true");
        Assert.Equal(original, await again.Content.ReadAsByteArrayAsync());
    }

    private static async Task<IReadOnlyList<StoredImage>> ImagesAsync(PortalHost host, Requester requester,
        GenerationJob job)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        JobProgress? last = null;
        await foreach (var progress in host.Services.GetRequiredService<JobProgressFeed>().WatchAsync(job.Id,
            requester, timeout.Token))
            last = progress;
        Assert.Equal(JobStatus.Completed, last!.Status);
        return last.Images;
    }

    private static async Task<byte[]> PixelsAsync(PortalClient client, Guid blueprint) =>
        await (await client.GetAsync($"/blueprints/{blueprint}/image?metadata=false")).Content.ReadAsByteArrayAsync();

    private static GenerationRequest Request(int count = 1, long? seed = 42, string preset = "default",
        Dictionary<string, string>? conditions = null) =>
        new("blueprints-64", conditions ?? Flange, count, seed, preset);

    private static async Task<PortalClient> SignedInAsync(PortalHost host, string email)
    {
        var client = host.NewClient();
        await client.SignInOrFailAsync(email, TestUsers.Password);
        return client;
    }
}
