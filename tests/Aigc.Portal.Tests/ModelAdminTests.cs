using System.Net;
using System.Net.Http.Headers;
using Aigc.Generation;
using Aigc.Generation.Manifest;
using Aigc.Neural;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Aigc.Platform.Models;
using Aigc.Platform.Queue;
using Aigc.Portal.Features.Models;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Portal.Tests;

/// <summary>Admin › Models end to end: uploads, the active pointer, roles, refusals, audit, and who may do it.</summary>
public sealed class ModelAdminTests : IDisposable
{
    private static readonly Dictionary<string, string> Gear = new() { ["part"] = "spur_gear", ["view"] = "front", ["complexity"] = "low" };

    private readonly string _scratch = Directory.CreateTempSubdirectory("aigc-model-upload-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    [Fact]
    public async Task An_uploaded_version_is_a_draft_then_activate_roll_back_retire_and_restrict_move_it_and_are_audited()
    {
        await using var host = new PortalHost();
        using var admin = await SignedInAdminAsync(host);
        var v2 = await host.QueryAsync(db => db.ModelVersions.AsNoTracking().SingleAsync(m => m.Version == "v2"));

        var upload = await UploadAsync(admin, "v3", Manifest(), Weights(7), ("card", "model-card.md", "# v3 card\n<script>alert(1)</script> [x](javascript:alert(1))"u8.ToArray()));
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        var detailPath = upload.Headers.GetValues("HX-Redirect").Single();
        var v3 = await host.QueryAsync(db => db.ModelVersions.AsNoTracking().SingleAsync(m => m.Version == "v3"));
        Assert.Equal(ModelVersionStatus.Draft, v3.Status);
        Assert.Equal($"/admin/models/{v3.WeightsSha256}", detailPath);
        Assert.Equal(PortalHost.AdminEmail, v3.AddedBy);
        var detail = await admin.GetPageAsync(detailPath);
        Assert.Equal("draft", detail.QuerySelector("[data-testid=model-detail] [data-testid=model-status]")!.TextContent);
        var card = detail.QuerySelector("[data-testid=model-card]")!;
        Assert.Equal("v3 card", card.QuerySelector("h1")!.TextContent);
        Assert.Null(card.QuerySelector("script"));
        Assert.Contains("<script>", card.TextContent);
        Assert.Equal("#", card.QuerySelector("a")!.GetAttribute("href"));

        var activated = await ActAsync(admin, $"/admin/models/{v3.WeightsSha256}/activate");
        Assert.Equal("active", Status(activated, "v3"));
        Assert.Equal("draft", Status(activated, "v2"));
        Assert.Contains("Roll back to v2", activated.QuerySelector("[data-testid=model-rollback]")!.TextContent);

        var rolledBack = await ActAsync(admin, "/admin/models/rollback", ("name", "blueprints-64"));
        Assert.Equal(("active", "draft"), (Status(rolledBack, "v2"), Status(rolledBack, "v3")));
        Assert.Contains("blueprints-64@v2 is active again", rolledBack.QuerySelector("[data-testid=model-notice]")!.TextContent);

        var retired = await ActAsync(admin, $"/admin/models/{v3.WeightsSha256}/retire");
        Assert.Equal("retired", Status(retired, "v3"));

        var restricted = await ActAsync(admin, $"/admin/models/{v2.WeightsSha256}/roles", ("roles", PortalRoles.Marketer));
        Assert.NotNull(restricted.QuerySelector($"[data-sha='{v2.WeightsSha256}'] input[value=Marketer][checked]"));
        var designer = await host.CreateUserAsync("designer-models@aigc.test", PortalRoles.Designer);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var refused = await Assert.ThrowsAsync<GenerationRefusedException>(() => scope.ServiceProvider.GetRequiredService<GenerationQueue>()
                .EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 1), new Requester(designer.Id, [PortalRoles.Designer])));
            Assert.Equal("model", refused.Field);
            Assert.Contains("blueprints-64@v2 is open to Marketer only", refused.Message);
        }

        var audit = await host.QueryAsync(db => db.AuditEntries.AsNoTracking().Where(a => a.Action.StartsWith("model.")).OrderBy(a => a.Id).ToListAsync());
        Assert.Equal(["model.register", "model.register", "model.register", "model.activate", "model.rollback", "model.retire", "model.restrict"], audit.Select(a => a.Action).ToArray());
        Assert.All(audit.Skip(2), a => Assert.Equal(PortalHost.AdminEmail, a.ActorName));
        Assert.Equal("blueprints-64@v3", audit[2].TargetName);
        Assert.Equal("Marketer", audit[^1].Details);
        Assert.Equal(3, await host.QueryAsync(db => db.ModelVersions.CountAsync()));
    }

    [Fact]
    public async Task Corrupt_mismatching_and_unknown_uploads_are_refused_next_to_their_field_and_register_nothing()
    {
        await using var host = new PortalHost();
        using var admin = await SignedInAdminAsync(host);
        var weights = Weights(8);
        var unknownKind = Manifest().Replace("\"kind\": \"categorical\"", "\"kind\": \"fuzzy\"");
        var narrower = CganManifest.Parse(Manifest()).ToJson().Replace("\"out\": 256", "\"out\": 128");

        var cases = new (string Manifest, byte[] Weights, string Field, string Reason)[]
        {
            (Manifest(), weights[..(weights.Length / 2)], "weights", "does not fit manifest"),
            (narrower, weights, "weights", "shape"),
            (unknownKind, weights, "manifest", "fuzzy"),
            ("{ not json", weights, "manifest", "manifest"),
        };
        foreach (var (manifest, bytes, field, reason) in cases)
        {
            var response = await UploadAsync(admin, "v9", manifest, bytes);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.False(response.Headers.Contains("HX-Redirect"));
            var form = PortalClient.Parse(await response.Content.ReadAsStringAsync());
            Assert.NotNull(form.QuerySelector("[data-testid=upload-refused]"));
            var error = form.QuerySelector($"[data-testid=upload-error-{field}]");
            Assert.True(error is not null, $"no error next to {field} for a case expecting \"{reason}\": {form.Body!.TextContent}");
            Assert.Contains(reason, error.TextContent, StringComparison.OrdinalIgnoreCase);
            Assert.Equal("v9", ((IHtmlInputElement)form.QuerySelector("input[name=version]")!).Value);
        }

        var shipped = await System.IO.File.ReadAllBytesAsync(Path.Combine(PortalHost.ShippedModels, "blueprints", "v2", "generator.safetensors"));
        var known = PortalClient.Parse(await (await UploadAsync(admin, "v2-again", Manifest(), shipped)).Content.ReadAsStringAsync());
        Assert.Contains("already registered as blueprints-64@v2", known.QuerySelector("[data-testid=upload-error-weights]")!.TextContent);

        var missing = PortalClient.Parse(await (await UploadAsync(admin, "", null, null)).Content.ReadAsStringAsync());
        Assert.Contains("Choose the manifest.json file", missing.QuerySelector("[data-testid=upload-error-manifest]")!.TextContent);
        Assert.Contains("Choose the generator.safetensors file", missing.QuerySelector("[data-testid=upload-error-weights]")!.TextContent);
        Assert.NotNull(missing.QuerySelector("[data-testid=upload-error-version]"));

        Assert.Equal(2, await host.QueryAsync(db => db.ModelVersions.CountAsync()));
        Assert.Equal(0, await host.QueryAsync(db => db.AuditEntries.CountAsync(a => a.Action == "model.register" && a.ActorName == PortalHost.AdminEmail)));
        AssertNoUploadLeft(host);
    }

    [Fact]
    public async Task An_upload_over_the_size_limit_is_refused_before_anything_is_checked()
    {
        await using var host = new PortalHost(new Dictionary<string, string?> { ["Registry:MaxUploadMegabytes"] = "2" });
        using var admin = await SignedInAdminAsync(host);

        var response = await UploadAsync(admin, "v3", Manifest(), Weights(9));

        var form = PortalClient.Parse(await response.Content.ReadAsStringAsync());
        Assert.Contains("at most 2 MB is accepted", form.QuerySelector("[data-testid=upload-error-weights]")!.TextContent);
        Assert.True(Weights(9).Length > 2 * 1024 * 1024);

        // Without a Content-Length (chunked), the limit is enforced while the parts are streamed to disk.
        var streamed = await UploadAsync(admin, "v3", Manifest(), Weights(9), chunked: true);
        var streamedForm = PortalClient.Parse(await streamed.Content.ReadAsStringAsync());
        Assert.Contains("larger than 2 MB; nothing was registered", streamedForm.QuerySelector("[data-testid=upload-error-weights]")!.TextContent);
        Assert.Equal(2, await host.QueryAsync(db => db.ModelVersions.CountAsync()));
        AssertNoUploadLeft(host);
    }

    [Fact]
    public async Task Non_admins_get_403_on_every_model_and_status_page_and_action()
    {
        await using var host = new PortalHost();
        var v2 = await host.QueryAsync(db => db.ModelVersions.AsNoTracking().SingleAsync(m => m.Status == ModelVersionStatus.Active));
        foreach (var role in new[] { PortalRoles.Designer, PortalRoles.Marketer })
        {
            var user = await host.CreateUserAsync($"{role.ToLowerInvariant()}-403-models@aigc.test", role);
            using var client = host.NewClient();
            await client.SignInOrFailAsync(user.Email!, TestUsers.Password);
            foreach (var path in new[] { "/admin/models", $"/admin/models/{v2.WeightsSha256}", $"/admin/models/{v2.WeightsSha256}/samples", "/admin/status", "/admin/status/panel" })
                Assert.True((await client.GetAsync(path)).StatusCode == HttpStatusCode.Forbidden, $"{role} GET {path}");
            foreach (var path in new[] { $"/admin/models/{v2.WeightsSha256}/activate", $"/admin/models/{v2.WeightsSha256}/retire", $"/admin/models/{v2.WeightsSha256}/roles", "/admin/models/rollback" })
                Assert.True((await client.HtmxPostAsync(path, [new("name", "blueprints-64"), new("roles", role)])).StatusCode == HttpStatusCode.Forbidden, $"{role} POST {path}");
            Assert.Equal(HttpStatusCode.Forbidden, (await UploadAsync(client, "v5", Manifest(), Weights(5))).StatusCode);
        }

        var after = await host.QueryAsync(db => db.ModelVersions.AsNoTracking().ToListAsync());
        Assert.Equal([("v1", ModelVersionStatus.Draft, ""), ("v2", ModelVersionStatus.Active, "")],
            after.OrderBy(m => m.Version).Select(m => (m.Version, m.Status, m.AllowedRoles)));
        Assert.Equal(0, await host.QueryAsync(db => db.AuditEntries.CountAsync(a => a.Action.StartsWith("model.") && a.ActorName != "system")));
    }

    [Fact]
    public async Task The_shipped_version_shows_its_card_licence_metrics_conditions_and_sample_grid()
    {
        await using var host = new PortalHost();
        using var admin = await SignedInAdminAsync(host);
        var list = await admin.GetPageAsync("/admin/models");
        var row = list.QuerySelector("[data-testid=model-row][data-version=v2]")!;
        Assert.Equal("active", row.QuerySelector("[data-testid=model-status]")!.TextContent);
        Assert.Contains("GAN-test 99.3%", row.TextContent);
        var sha = row.GetAttribute("data-sha")!;

        var detail = await admin.GetPageAsync($"/admin/models/{sha}");
        Assert.Contains("Known weakness", detail.QuerySelector("[data-testid=model-card]")!.TextContent);
        Assert.StartsWith("MIT License", detail.QuerySelector("[data-testid=model-license]")!.TextContent);
        Assert.Contains("evaluation.frechetRatio", detail.QuerySelector("[data-testid=model-metrics]")!.TextContent);
        Assert.Contains("withinConditionDiversityMin>=0.5 not met", detail.QuerySelector("[data-testid=model-targets]")!.TextContent);
        Assert.Contains("spur_gear", detail.QuerySelector("[data-testid=model-conditions]")!.TextContent);
        var samples = await admin.GetAsync(detail.QuerySelector("[data-testid=model-samples]")!.GetAttribute("src")!.Insert(0, "/"));
        Assert.Equal("image/png", samples.Content.Headers.ContentType!.MediaType);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(PortalHost.ShippedModels, "blueprints", "v2", "samples.png")), await samples.Content.ReadAsByteArrayAsync());
        await using (var scope = host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<ModelRegistry>().MarkBrokenAsync(sha, "generator.safetensors has SHA-256 0123456789ab…: the file is corrupt or was replaced.");
        var broken = (await admin.GetPageAsync("/admin/models")).QuerySelector("[data-testid=model-row][data-version=v2]")!;
        Assert.Equal("broken", broken.QuerySelector("[data-testid=model-status]")!.TextContent);
        Assert.Contains("the file is corrupt or was replaced", broken.QuerySelector("[data-testid=broken-reason]")!.TextContent);
        Assert.Contains("the file is corrupt", (await admin.GetPageAsync($"/admin/models/{sha}")).QuerySelector("[data-testid=broken-reason]")!.TextContent);

        var missing = await admin.GetPageAsync($"/admin/models/{new string('0', 64)}");
        Assert.Contains("No model version has weights 0000", missing.QuerySelector("[data-testid=model-missing]")!.TextContent);
    }

    [Fact]
    public async Task The_status_panel_shows_figures_that_change_after_a_job_ran()
    {
        await using var host = new PortalHost();
        using var admin = await SignedInAdminAsync(host);
        var before = await PanelAsync(admin);
        // The default device (Inference:Device=Onnx, decision 0017).
        Assert.Matches(@"^ONNX Runtime \d+\.\d+\.\d+ · CPU provider · \d+ threads?$",
            before.QuerySelector("[data-testid=device-name]")!.TextContent);
        Assert.Equal("0", before.QuerySelector("[data-testid=latency-completion] td:last-child")!.TextContent);
        var imagesBefore = long.Parse(before.QuerySelector("[data-testid=device-images]")!.TextContent);

        var requester = new Requester((await host.FindUserAsync(PortalHost.AdminEmail)).Id, [PortalRoles.Admin]);
        GenerationJob job;
        await using (var scope = host.Services.CreateAsyncScope())
            job = await scope.ServiceProvider.GetRequiredService<GenerationQueue>().EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 3, 5), requester);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var progress in host.Services.GetRequiredService<JobProgressFeed>().WatchAsync(job.Id, requester, timeout.Token))
        {
            if (progress.IsFinal)
                Assert.Equal(JobStatus.Completed, progress.Status);
        }

        var after = await PanelAsync(admin);
        Assert.Equal("1", after.QuerySelector("[data-testid=latency-completion] td:last-child")!.TextContent);
        Assert.NotEqual("—", after.QuerySelector("[data-testid=latency-first] td:nth-child(2)")!.TextContent);
        Assert.Equal(imagesBefore + 3, long.Parse(after.QuerySelector("[data-testid=device-images]")!.TextContent));
        Assert.NotEqual("0.0", after.QuerySelector("[data-testid=images-per-second]")!.TextContent.Split(' ')[0]);
        Assert.Contains("blueprints-64@v2", after.QuerySelector("[data-testid=loaded-models]")!.TextContent);
        Assert.Equal("0", after.QuerySelector("[data-testid=queued-interactive] [data-testid=value]")!.TextContent.Split(' ')[0]);
        Assert.Equal("every 2s", after.QuerySelector("#status-panel")!.GetAttribute("hx-trigger"));
    }

    [Fact]
    public void The_upload_limit_is_validated_with_a_message_naming_the_key()
    {
        var options = new RegistryOptions { MaxUploadMegabytes = 0 };
        var results = new List<System.ComponentModel.DataAnnotations.ValidationResult>();
        var valid = System.ComponentModel.DataAnnotations.Validator.TryValidateObject(options, new(options), results, validateAllProperties: true);

        Assert.False(valid);
        Assert.Contains("Registry:MaxUploadMegabytes", Assert.Single(results).ErrorMessage);
        Assert.Equal(512L * 1024 * 1024, new RegistryOptions().MaxUploadBytes);
    }

    private static void AssertNoUploadLeft(PortalHost host)
    {
        var uploads = Path.Combine(host.DataDirectory, "uploads");
        Assert.False(Directory.Exists(uploads) && Directory.EnumerateFileSystemEntries(uploads).Any(), "an upload folder was left behind");
    }

    private static async Task<IHtmlDocument> PanelAsync(PortalClient client)
    {
        var response = await client.GetAsync("/admin/status/panel", htmx: true);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return PortalClient.Parse(await response.Content.ReadAsStringAsync());
    }

    private static async Task<PortalClient> SignedInAdminAsync(PortalHost host)
    {
        var client = host.NewClient();
        await client.SignInOrFailAsync(PortalHost.AdminEmail, PortalHost.AdminPassword);
        return client;
    }

    private static async Task<IHtmlDocument> ActAsync(PortalClient client, string path, params (string Key, string Value)[] values)
    {
        var response = await client.HtmxPostAsync(path, values.Select(v => new KeyValuePair<string, string>(v.Key, v.Value)), "/admin/models");
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"POST {path}: {(int)response.StatusCode}");
        return PortalClient.Parse(await response.Content.ReadAsStringAsync());
    }

    private static string Status(IHtmlDocument group, string version) =>
        group.QuerySelector($"[data-testid=model-row][data-version='{version}'] [data-testid=model-status]")!.TextContent;

    /// <summary>A multipart POST as htmx sends the upload form, with the antiforgery token in its header.</summary>
    private static Task<HttpResponseMessage> UploadAsync(PortalClient client, string version, string? manifest, byte[]? weights, params (string Field, string FileName, byte[] Bytes)[] extra) =>
        UploadAsync(client, version, manifest, weights, chunked: false, extra);

    private static async Task<HttpResponseMessage> UploadAsync(PortalClient client, string version, string? manifest, byte[]? weights, bool chunked, params (string Field, string FileName, byte[] Bytes)[] extra)
    {
        var page = await client.GetAsync("/");
        var token = PortalClient.Parse(await page.Content.ReadAsStringAsync()).QuerySelector("meta[name=request-verification-token]")?.GetAttribute("content") ?? "";
        var content = new MultipartFormDataContent { { new StringContent(version), "version" } };
        if (manifest is not null)
            content.Add(File(System.Text.Encoding.UTF8.GetBytes(manifest)), "manifest", "manifest.json");
        if (weights is not null)
        {
            HttpContent part = chunked ? new StreamContent(new UnknownLengthStream(weights)) : File(weights);
            content.Add(part, "weights", "generator.safetensors");
        }
        foreach (var (field, name, bytes) in extra)
            content.Add(File(bytes), field, name);
        var request = new HttpRequestMessage(HttpMethod.Post, "/admin/models/upload") { Content = content };
        request.Headers.Add("HX-Request", "true");
        request.Headers.Add("RequestVerificationToken", token);
        return await client.SendAsync(request);

        static ByteArrayContent File(byte[] bytes)
        {
            var part = new ByteArrayContent(bytes);
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            return part;
        }
    }

    /// <summary>Bytes behind a stream that cannot tell its length, so HttpClient sends the request chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes, writable: false)
    {
        public override bool CanSeek => false;
    }

    private static string Manifest() => System.IO.File.ReadAllText(Path.Combine(PortalHost.ShippedModels, "blueprints", "manifest.json"));

    private byte[] Weights(ulong seed)
    {
        var path = Path.Combine(_scratch, $"weights-{seed}.safetensors");
        if (!System.IO.File.Exists(path))
            Generator.Create(CganManifest.Parse(Manifest()), new NeuralEngine(new NeuralOptions { Threads = 1 }), seed).SaveWeights(path);
        return System.IO.File.ReadAllBytes(path);
    }
}
