using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using Aigc.Generation.Datasets;
using Aigc.Platform.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Portal.Tests;

/// <summary>/api/datasets and /api/training-runs for trainers' tokens.</summary>
public sealed class TrainingApiTests(PortalHostFixture fixture) : IClassFixture<PortalHostFixture>
{
    private PortalHost Host => fixture.Host;

    [Fact]
    public async Task A_trainers_token_uploads_a_dataset_and_queues_pauses_and_cancels_a_run_and_a_designers_token_is_refused()
    {
        var trainer = await Host.CreateUserAsync("trainer-api@aigc.test", PortalRoles.Trainer);
        var designer = await Host.CreateUserAsync("designer-api-training@aigc.test", PortalRoles.Designer);
        var token = await TokenAsync(trainer.Id);
        using var client = Host.NewClient();

        var hostile = await UploadAsync(client, token, "?name=evil", Zip(("../../evil.png", [1, 2, 3])));
        var report = await hostile.JsonAsync(HttpStatusCode.BadRequest);
        Assert.Contains(report.GetProperty("problems").EnumerateArray(), p => p.GetProperty("kind").GetString() == "UnsafeName");

        var dry = await (await UploadAsync(client, token, "?dryRun=true", Zip(Drawings()))).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(16, dry.GetProperty("drawings").GetInt32());
        var created = await (await UploadAsync(client, token, "?name=api-parts", Zip(Drawings()))).JsonAsync(HttpStatusCode.Created);
        var versionId = created.GetProperty("versionId").GetGuid();
        var listed = await (await client.SendApiAsync(HttpMethod.Get, "/api/datasets", bearer: token)).JsonAsync(HttpStatusCode.OK);
        Assert.Contains(listed.EnumerateArray(), d => d.GetProperty("name").GetString() == "api-parts");

        var bad = await client.SendApiAsync(HttpMethod.Post, "/api/training-runs",
            new { datasetVersionId = versionId, modelName = "Not A Name", versionLabel = "a1" }, bearer: token);
        Assert.True((await bad.JsonAsync(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty("modelName", out _));
        var started = await client.SendApiAsync(HttpMethod.Post, "/api/training-runs",
            new { datasetVersionId = versionId, modelName = "api-parts", versionLabel = "a1", steps = 4000, batchSize = 4, pack = 1 }, bearer: token);
        var run = await started.JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal($"/api/training-runs/{run.GetProperty("id").GetGuid()}", started.Headers.Location!.OriginalString);
        var paused = await (await client.SendApiAsync(HttpMethod.Post, $"{started.Headers.Location}/pause", bearer: token)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("paused", paused.GetProperty("status").GetString());
        var cancelled = await (await client.SendApiAsync(HttpMethod.Post, $"{started.Headers.Location}/cancel", bearer: token)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        await (await client.SendApiAsync(HttpMethod.Post, $"{started.Headers.Location}/resume", bearer: token)).JsonAsync(HttpStatusCode.Conflict);
        await (await client.SendApiAsync(HttpMethod.Get, $"/api/training-runs/{Guid.NewGuid()}", bearer: token)).JsonAsync(HttpStatusCode.NotFound);

        var designerToken = await TokenAsync(designer.Id);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendApiAsync(HttpMethod.Get, "/api/datasets", bearer: designerToken)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendApiAsync(HttpMethod.Get, "/api/training-runs", bearer: designerToken)).StatusCode);
        // A trainer's token is no key to the gallery's API.
        Assert.Equal(HttpStatusCode.Forbidden, (await client.SendApiAsync(HttpMethod.Get, "/api/generations", bearer: token)).StatusCode);
    }

    private static Task<HttpResponseMessage> UploadAsync(PortalClient client, string token, string query, byte[] zip)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/datasets" + query) { Content = new ByteArrayContent(zip) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }

    private static (string Name, byte[] Bytes)[] Drawings()
    {
        var files = new List<(string, byte[])>();
        var labels = new StringBuilder(DatasetFolder.LabelsHeader + "\n");
        for (var part = 0; part < 2; part++)
            for (var i = 0; i < 8; i++)
            {
                var label = BlueprintSynthesizer.LabelFor(part, i);
                files.Add(($"{label.Part}-{i}.png", BlueprintSynthesizer.RenderPng(label, 11, part * 100 + i, 64)));
                labels.Append($"{label.Part}-{i}.png,{label.Part},{label.View},{label.Complexity}\n");
            }

        files.Add(("labels.csv", Encoding.UTF8.GetBytes(labels.ToString())));
        return files.ToArray();
    }

    private static byte[] Zip(params (string Name, byte[] Bytes)[] files)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes) in files)
            {
                using var entry = zip.CreateEntry(name).Open();
                entry.Write(bytes);
            }

        return buffer.ToArray();
    }

    private async Task<string> TokenAsync(string userId)
    {
        await using var scope = Host.Services.CreateAsyncScope();
        var owner = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.NameIdentifier, userId), new Claim(ClaimTypes.Name, userId)], "test"));
        return (await scope.ServiceProvider.GetRequiredService<ApiTokens>().CreateAsync(owner, "training", DateTime.UtcNow.AddDays(1))).Secret;
    }
}
