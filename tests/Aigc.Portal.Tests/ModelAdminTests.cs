using System.Net;
using Aigc.Generation;
using Aigc.Generation.Manifest;
using Aigc.Neural;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Aigc.Platform.Models;
using Aigc.Platform.Queue;
using Aigc.Platform.Status;
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
        using var client = await SignedInAdminAsync(host);
        var admin = await host.PrincipalOfAsync(PortalHost.AdminEmail);
        var models = host.Services.GetRequiredService<ModelAdministration>();
        var v2 = await host.QueryAsync(db => db.ModelVersions.AsNoTracking().SingleAsync(m => m.Version == "v2"));

        var upload = await UploadAsync(host, "v3", Manifest(), Weights(7), ("card", "# v3 card\n<script>alert(1)</script> [x](javascript:alert(1))"u8.ToArray()));
        Assert.Empty(upload.Refusals);
        var v3 = upload.Registered!;
        Assert.Equal((ModelVersionStatus.Draft, PortalHost.AdminEmail), (v3.Status, v3.AddedBy));
        var detail = await client.GetPageAsync($"/admin/models/{v3.WeightsSha256}");
        Assert.Equal("draft", detail.QuerySelector("[data-testid=model-detail] [data-testid=model-status]")!.TextContent.Trim());
        var card = detail.QuerySelector("[data-testid=model-card]")!;
        // A card's "# Title" is a section of the page, under its h1 and the version's h2.
        Assert.Equal("v3 card", card.QuerySelector("h3")!.TextContent);
        Assert.Null(card.QuerySelector("script"));
        Assert.Contains("<script>", card.TextContent);
        Assert.Equal("#", card.QuerySelector("a")!.GetAttribute("href"));

        Assert.Equal(ModelActionOutcome.Done, (await models.ActivateAsync(admin, v3.WeightsSha256)).Outcome);
        var group = Assert.Single(await models.GroupsAsync(admin));
        Assert.Equal((ModelVersionStatus.Active, ModelVersionStatus.Draft), (StatusOf(group, "v3"), StatusOf(group, "v2")));
        Assert.Equal("v2", group.RollBackTarget!.Version);
        var list = await client.GetPageAsync("/admin/models");
        Assert.Contains("Roll back to v2", list.QuerySelector("[data-testid=model-rollback]")!.TextContent);

        var rolledBack = await models.RollBackAsync(admin, "blueprints-64");
        Assert.Equal((ModelActionOutcome.Done, "v2"), (rolledBack.Outcome, rolledBack.Version!.Version));
        group = Assert.Single(await models.GroupsAsync(admin));
        Assert.Equal((ModelVersionStatus.Active, ModelVersionStatus.Draft), (StatusOf(group, "v2"), StatusOf(group, "v3")));

        Assert.Equal(ModelVersionStatus.Retired, (await models.RetireAsync(admin, v3.WeightsSha256)).Version!.Status);
        var restricted = await models.RestrictAsync(admin, v2.WeightsSha256, [PortalRoles.Marketer]);
        Assert.Equal([PortalRoles.Marketer], restricted.Version!.AllowedRoleList);
        var unknownRole = await models.RestrictAsync(admin, v2.WeightsSha256, ["Overlord"]);
        Assert.Equal(ModelActionOutcome.Refused, unknownRole.Outcome);
        Assert.Contains("Unknown role", unknownRole.Reason!.English);
        Assert.Equal(ModelActionOutcome.NotFound, (await models.ActivateAsync(admin, new string('0', 64))).Outcome);
        Assert.Equal(ModelActionOutcome.NotFound, (await models.RetireAsync(admin, "not-a-hash")).Outcome);
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
            var result = await UploadAsync(host, "v9", manifest, bytes);
            Assert.Null(result.Registered);
            var refusal = Assert.Single(result.Refusals);
            Assert.True(refusal.Field == field, $"refused at {refusal.Field}, expected {field}: {refusal.Detail}");
            Assert.Equal(UploadProblem.Rejected, refusal.Problem);
            Assert.Contains(reason, refusal.Detail, StringComparison.OrdinalIgnoreCase);
        }

        var shipped = await System.IO.File.ReadAllBytesAsync(Path.Combine(PortalHost.ShippedModels, "blueprints", "v2", "generator.safetensors"));
        var known = Assert.Single((await UploadAsync(host, "v2-again", Manifest(), shipped)).Refusals);
        Assert.Equal("weights", known.Field);
        Assert.Contains("already registered as blueprints-64@v2", known.Detail);

        var missing = await UploadAsync(host, " ", null, null);
        Assert.Equal([("manifest", UploadProblem.Missing), ("weights", UploadProblem.Missing), ("version", UploadProblem.NoLabel)],
            missing.Refusals.Select(r => (r.Field, r.Problem)));

        Assert.Equal(2, await host.QueryAsync(db => db.ModelVersions.CountAsync()));
        Assert.Equal(0, await host.QueryAsync(db => db.AuditEntries.CountAsync(a => a.Action == "model.register" && a.ActorName == PortalHost.AdminEmail)));
        AssertNoUploadLeft(host);
    }

    [Fact]
    public async Task An_upload_over_the_size_limit_is_refused_before_anything_is_checked()
    {
        await using var host = new PortalHost(new Dictionary<string, string?> { ["Registry:MaxUploadMegabytes"] = "2" });
        var weights = Weights(9);
        Assert.True(weights.Length > 2 * 1024 * 1024);
        var opened = 0;

        // The sizes the browser announces are checked before any byte is read.
        var announced = await host.Services.GetRequiredService<ModelUploads>().UploadAsync(
            await host.PrincipalOfAsync(PortalHost.AdminEmail), "v3",
            [File("manifest", System.Text.Encoding.UTF8.GetBytes(Manifest())), new ModelUploadFile("weights", weights.Length, (_, _) =>
            {
                opened++;
                return new MemoryStream(weights);
            })]);
        Assert.Equal(new UploadRefusal("weights", UploadProblem.TooLarge), Assert.Single(announced.Refusals));
        Assert.Equal(0, opened);

        // A client that understates the size is stopped while the bytes are counted.
        var understated = await UploadAsync(host, "v3", Manifest(), weights, claimedWeightsSize: 1024);
        Assert.Equal(new UploadRefusal("weights", UploadProblem.TooLarge), Assert.Single(understated.Refusals));
        Assert.Equal(2, await host.QueryAsync(db => db.ModelVersions.CountAsync()));
        AssertNoUploadLeft(host);
    }

    [Fact]
    public async Task Non_admins_get_403_on_every_model_and_status_page_and_are_refused_by_the_services()
    {
        await using var host = new PortalHost();
        var v2 = await host.QueryAsync(db => db.ModelVersions.AsNoTracking().SingleAsync(m => m.Status == ModelVersionStatus.Active));
        var models = host.Services.GetRequiredService<ModelAdministration>();
        foreach (var role in new[] { PortalRoles.Designer, PortalRoles.Marketer, PortalRoles.Viewer })
        {
            var user = await host.CreateUserAsync($"{role.ToLowerInvariant()}-403-models@aigc.test", role);
            using var client = host.NewClient();
            await client.SignInOrFailAsync(user.Email!, TestUsers.Password);
            foreach (var path in new[] { "/admin/models", $"/admin/models/{v2.WeightsSha256}", $"/admin/models/{v2.WeightsSha256}/samples", "/admin/status", "/admin/invites" })
                Assert.True((await client.GetAsync(path)).StatusCode == HttpStatusCode.Forbidden, $"{role} GET {path}");

            var principal = await host.PrincipalOfAsync(user.Email!);
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => models.GroupsAsync(principal));
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => models.DetailAsync(principal, v2.WeightsSha256));
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => models.ActivateAsync(principal, v2.WeightsSha256));
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => models.RetireAsync(principal, v2.WeightsSha256));
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => models.RestrictAsync(principal, v2.WeightsSha256, [role]));
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => models.RollBackAsync(principal, "blueprints-64"));
            Assert.Throws<UnauthorizedAccessException>(() => models.Upscalers(principal));
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => host.Services.GetRequiredService<ModelUploads>()
                .UploadAsync(principal, "v5", [File("manifest", System.Text.Encoding.UTF8.GetBytes(Manifest())), File("weights", Weights(5))]));
            await Assert.ThrowsAsync<UnauthorizedAccessException>(() => host.Services.GetRequiredService<SystemStatus>().ReadAsync(principal));
        }

        var after = await host.QueryAsync(db => db.ModelVersions.AsNoTracking().ToListAsync());
        Assert.Equal([("v1", ModelVersionStatus.Draft, ""), ("v2", ModelVersionStatus.Active, "")],
            after.OrderBy(m => m.Version).Select(m => (m.Version, m.Status, m.AllowedRoles)));
        Assert.Equal(0, await host.QueryAsync(db => db.AuditEntries.CountAsync(a => a.Action.StartsWith("model.") && a.ActorName != "system")));
        AssertNoUploadLeft(host);
    }

    [Fact]
    public async Task The_shipped_version_shows_its_card_licence_metrics_conditions_and_sample_grid()
    {
        await using var host = new PortalHost();
        using var admin = await SignedInAdminAsync(host);
        var list = await admin.GetPageAsync("/admin/models");
        var row = list.QuerySelector("[data-testid=model-row][data-version=v2]")!;
        Assert.Equal("active", row.QuerySelector("[data-testid=model-status]")!.TextContent.Trim());
        Assert.Contains("GAN-test 99.3%", row.TextContent);
        var sha = row.GetAttribute("data-sha")!;

        // The shipped line upscalers are listed by their weights' hash, with their held-out line F1.
        var upscalers = list.QuerySelectorAll("[data-testid=upscaler-row]");
        Assert.Equal(2, upscalers.Length);
        var x4 = Path.Combine(PortalHost.ShippedModels, "upscalers", "x4", "upscaler.safetensors");
        Assert.Equal(await ModelFiles.HashAsync(x4, CancellationToken.None), upscalers[0].GetAttribute("data-sha"));
        Assert.Contains("64 → 256 px", upscalers[0].TextContent);
        Assert.Contains("degraded", upscalers[0].TextContent);

        var detail = await admin.GetPageAsync($"/admin/models/{sha}");
        Assert.Contains("Known weakness", detail.QuerySelector("[data-testid=model-card]")!.TextContent);
        Assert.StartsWith("MIT License", detail.QuerySelector("[data-testid=model-license]")!.TextContent);
        Assert.Contains("evaluation.frechetRatio", detail.QuerySelector("[data-testid=model-metrics]")!.TextContent);
        Assert.Contains("withinConditionDiversityMin>=0.5 not met", detail.QuerySelector("[data-testid=model-targets]")!.TextContent);
        Assert.Contains("spur_gear", detail.QuerySelector("[data-testid=model-conditions]")!.TextContent);
        var samples = await admin.GetAsync(detail.QuerySelector("[data-testid=model-samples]")!.GetAttribute("src")!.Insert(0, "/"));
        Assert.Equal("image/png", samples.Content.Headers.ContentType!.MediaType);
        Assert.Equal(await System.IO.File.ReadAllBytesAsync(Path.Combine(PortalHost.ShippedModels, "blueprints", "v2", "samples.png")), await samples.Content.ReadAsByteArrayAsync());
        await using (var scope = host.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<ModelRegistry>().MarkBrokenAsync(sha, "generator.safetensors has SHA-256 0123456789ab…: the file is corrupt or was replaced.");
        var broken = (await admin.GetPageAsync("/admin/models")).QuerySelector("[data-testid=model-row][data-version=v2]")!;
        Assert.Equal("broken", broken.QuerySelector("[data-testid=model-status]")!.TextContent.Trim());
        Assert.Contains("the file is corrupt or was replaced", broken.QuerySelector("[data-testid=broken-reason]")!.TextContent);
        Assert.Contains("the file is corrupt", (await admin.GetPageAsync($"/admin/models/{sha}")).QuerySelector("[data-testid=broken-reason]")!.TextContent);

        var missing = await admin.GetPageAsync($"/admin/models/{new string('0', 64)}");
        Assert.Contains("No model version has weights 0000", missing.QuerySelector("[data-testid=model-missing]")!.TextContent);
    }

    [Fact]
    public async Task The_status_shows_figures_that_change_after_a_job_ran()
    {
        await using var host = new PortalHost();
        using var client = await SignedInAdminAsync(host);
        var admin = await host.PrincipalOfAsync(PortalHost.AdminEmail);
        var status = host.Services.GetRequiredService<SystemStatus>();
        var page = await client.GetPageAsync("/admin/status");
        // The default device (Inference:Device=Onnx, decision 0017).
        Assert.Matches(@"^ONNX Runtime \d+\.\d+\.\d+ · CPU provider · \d+ threads?$", page.QuerySelector("[data-testid=device-name]")!.TextContent);
        Assert.Equal("0", page.QuerySelector("[data-testid=latency-completion] td:last-child")!.TextContent);
        var before = await status.ReadAsync(admin);
        Assert.Equal(0, before.Metrics.Completion.Count);

        var requester = new Requester((await host.FindUserAsync(PortalHost.AdminEmail)).Id, [PortalRoles.Admin]);
        var changed = status.NextChange;
        GenerationJob job;
        await using (var scope = host.Services.CreateAsyncScope())
            job = await scope.ServiceProvider.GetRequiredService<GenerationQueue>().EnqueueAsync(new GenerationRequest("blueprints-64", Gear, 3, 5), requester);
        // The live page wakes on the queue's signal, not only on its timer.
        await changed.WaitAsync(TimeSpan.FromSeconds(30));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var progress in host.Services.GetRequiredService<JobProgressFeed>().WatchAsync(job.Id, requester, timeout.Token))
        {
            if (progress.IsFinal)
                Assert.Equal(JobStatus.Completed, progress.Status);
        }

        var after = await status.ReadAsync(admin);
        Assert.Equal(1, after.Metrics.Completion.Count);
        Assert.NotNull(after.Metrics.FirstImage.P50);
        Assert.Equal(before.Device.ImagesGenerated + 3, after.Device.ImagesGenerated);
        Assert.True(after.Metrics.ImagesPerSecond > 0);
        Assert.Contains(after.Loaded, l => l.Label == "blueprints-64@v2");
        Assert.All(after.Queued, q => Assert.Equal(0, q.Images));
        var shown = await client.GetPageAsync("/admin/status");
        Assert.Equal("1", shown.QuerySelector("[data-testid=latency-completion] td:last-child")!.TextContent);
        Assert.Contains("blueprints-64@v2", shown.QuerySelector("[data-testid=loaded-models]")!.TextContent);
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

    private static async Task<PortalClient> SignedInAdminAsync(PortalHost host)
    {
        var client = host.NewClient();
        await client.SignInOrFailAsync(PortalHost.AdminEmail, PortalHost.AdminPassword);
        return client;
    }

    private static ModelVersionStatus StatusOf(ModelGroup group, string version) =>
        group.Versions.Single(v => v.Version == version).Status;

    private static ModelUploadFile File(string field, byte[] bytes, long? claimedSize = null) =>
        new(field, claimedSize ?? bytes.Length, (_, _) => new MemoryStream(bytes, writable: false));

    /// <summary>An upload as the admin page sends it: the chosen files, streamed to the service.</summary>
    private static async Task<ModelUploadResult> UploadAsync(PortalHost host, string version, string? manifest, byte[]? weights,
        params (string Field, byte[] Bytes)[] extra) =>
        await UploadAsync(host, version, manifest, weights, null, extra);

    private static async Task<ModelUploadResult> UploadAsync(PortalHost host, string version, string? manifest, byte[]? weights,
        long? claimedWeightsSize, params (string Field, byte[] Bytes)[] extra)
    {
        var files = new List<ModelUploadFile>();
        if (manifest is not null)
            files.Add(File("manifest", System.Text.Encoding.UTF8.GetBytes(manifest)));
        if (weights is not null)
            files.Add(File("weights", weights, claimedWeightsSize));
        files.AddRange(extra.Select(e => File(e.Field, e.Bytes)));
        return await host.Services.GetRequiredService<ModelUploads>()
            .UploadAsync(await host.PrincipalOfAsync(PortalHost.AdminEmail), version, files);
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
