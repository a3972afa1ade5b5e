using System.Net;
using Aigc.Imaging.Metadata;
using Aigc.Platform.Accounts;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Portal.Tests;

/// <summary>Images are served to their author (and admins) only, with strong ETags, as attachments on request.</summary>
public sealed class BlueprintFileTests
{
    [Fact]
    public async Task The_author_gets_the_image_cached_by_hash_and_another_user_gets_404()
    {
        // With the default interval: a renewed session cookie makes a response uncacheable, rightly.
        await using var host = new PortalHost(new Dictionary<string, string?> { ["Accounts:SecurityStampValidationInterval"] = "00:30:00" });
        var author = await host.CreateUserAsync("author@aigc.test", PortalRoles.Designer);
        await host.CreateUserAsync("other@aigc.test", PortalRoles.Designer);
        var blueprint = await GenerateOneAsync(host, new Requester(author.Id, [PortalRoles.Designer]));

        using var client = host.NewClient();
        await client.SignInOrFailAsync("author@aigc.test", TestUsers.Password);
        var image = await client.GetAsync($"/blueprints/{blueprint.Id}/image");
        Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        Assert.Equal("image/png", image.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"\"{blueprint.FileSha256}\"", image.Headers.ETag!.Tag);
        Assert.False(image.Headers.ETag.IsWeak);
        Assert.Contains("private", image.Headers.CacheControl!.ToString());
        var bytes = await image.Content.ReadAsByteArrayAsync();
        Assert.Equal(blueprint.Seed, BlueprintMetadata.Read(bytes)!.Seed);

        var again = new HttpRequestMessage(HttpMethod.Get, $"/blueprints/{blueprint.Id}/image");
        again.Headers.IfNoneMatch.Add(image.Headers.ETag);
        Assert.Equal(HttpStatusCode.NotModified, (await client.SendAsync(again)).StatusCode);

        var download = await client.GetAsync($"/blueprints/{blueprint.Id}/image?download=true&metadata=false");
        Assert.Equal($"spur_gear-front-low-seed{blueprint.Seed}.png", download.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        Assert.Null(BlueprintMetadata.Read(await download.Content.ReadAsByteArrayAsync()));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/blueprints/{blueprint.Id}/thumbnail")).StatusCode);

        using var other = host.NewClient();
        await other.SignInOrFailAsync("other@aigc.test", TestUsers.Password);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/blueprints/{blueprint.Id}/image")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/blueprints/{blueprint.Id}/thumbnail")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/blueprints/{Guid.NewGuid()}/image")).StatusCode);

        using var admin = host.NewClient();
        await admin.SignInOrFailAsync(PortalHost.AdminEmail, PortalHost.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/blueprints/{blueprint.Id}/image")).StatusCode);
    }

    [Fact]
    public async Task The_author_downloads_the_vector_drawing_as_svg_and_dxf_and_others_get_404_or_a_named_400()
    {
        await using var host = new PortalHost();
        var author = await host.CreateUserAsync("author@aigc.test", PortalRoles.Designer);
        await host.CreateUserAsync("other@aigc.test", PortalRoles.Designer);
        var blueprint = await GenerateOneAsync(host, new Requester(author.Id, [PortalRoles.Designer]));
        var url = $"/api/blueprints/{blueprint.Id}/vector";

        using var client = host.NewClient();
        await client.SignInOrFailAsync("author@aigc.test", TestUsers.Password);
        var svg = await client.GetAsync($"{url}?format=svg&download=true");
        Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"spur_gear-front-low-seed{blueprint.Seed}.svg", svg.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        var svgText = await svg.Content.ReadAsStringAsync();
        Assert.StartsWith("<svg", svgText, StringComparison.Ordinal);
        Assert.Contains("mm\"", svgText, StringComparison.Ordinal);
        Assert.Contains("<polyline", svgText, StringComparison.Ordinal);

        var dxf = await client.GetAsync($"{url}?format=DXF");
        Assert.Equal(HttpStatusCode.OK, dxf.StatusCode);
        Assert.Equal("image/vnd.dxf", dxf.Content.Headers.ContentType!.MediaType);
        var dxfText = await dxf.Content.ReadAsStringAsync();
        Assert.Contains("$INSUNITS", dxfText, StringComparison.Ordinal);
        Assert.Contains("POLYLINE", dxfText, StringComparison.Ordinal);
        Assert.EndsWith("EOF\r\n", dxfText, StringComparison.Ordinal);

        var bad = await client.GetAsync($"{url}?format=dwg");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType!.MediaType);
        Assert.Contains("\"format\"", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync(url)).StatusCode);

        using var other = host.NewClient();
        await other.SignInOrFailAsync("other@aigc.test", TestUsers.Password);
        var foreign = await other.GetAsync($"{url}?format=svg");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal("application/problem+json", foreign.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/blueprints/{Guid.NewGuid()}/vector?format=dxf")).StatusCode);
    }

    private static async Task<Blueprint> GenerateOneAsync(PortalHost host, Requester requester)
    {
        GenerationJob job;
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var queue = scope.ServiceProvider.GetRequiredService<GenerationQueue>();
            job = await queue.EnqueueAsync(new GenerationRequest("blueprints-64",
                new Dictionary<string, string> { ["part"] = "spur_gear", ["view"] = "front", ["complexity"] = "low" }, 1, 42), requester);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await foreach (var progress in host.Services.GetRequiredService<JobProgressFeed>().WatchAsync(job.Id, requester, timeout.Token))
        {
            if (progress.IsFinal)
                Assert.Equal(JobStatus.Completed, progress.Status);
        }

        await using var db = await host.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        return await db.Blueprints.SingleAsync(b => b.JobId == job.Id);
    }
}
