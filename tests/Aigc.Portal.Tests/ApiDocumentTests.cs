using System.Net;
using System.Text.Json;
using Aigc.Platform.Accounts;

namespace Aigc.Portal.Tests;

/// <summary>/openapi/v1.json describes every /api endpoint with its schemas, for signed-in users and tokens only.</summary>
public sealed class ApiDocumentTests(PortalHostFixture fixture) : IClassFixture<PortalHostFixture>
{
    private PortalHost Host => fixture.Host;

    [Fact]
    public async Task The_document_lists_every_api_endpoint_with_schemas_and_nothing_else()
    {
        await Host.CreateUserAsync("openapi@aigc.test", PortalRoles.Viewer);
        using var client = Host.NewClient();
        await client.SignInOrFailAsync("openapi@aigc.test", TestUsers.Password);
        var document = await (await client.GetAsync("/openapi/v1.json")).JsonAsync(HttpStatusCode.OK);

        var paths = document.GetProperty("paths");
        var operations = paths.EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "delete").Select(o => $"{o.Name.ToUpperInvariant()} {p.Name}"))
            .Order()
            .ToList();
        Assert.Equal(
            [
                "DELETE /api/datasets/{id}",
                "DELETE /api/generations/{id}",
                "GET /api/blueprints/{id}",
                "GET /api/blueprints/{id}/image",
                "GET /api/blueprints/{id}/thumbnail",
                "GET /api/blueprints/{id}/vector",
                "GET /api/datasets",
                "GET /api/datasets/{id}",
                "GET /api/generations",
                "GET /api/generations/{id}",
                "GET /api/generations/{id}/events",
                "GET /api/models",
                "GET /api/training-runs",
                "GET /api/training-runs/{id}",
                "POST /api/datasets",
                "POST /api/generations",
                "POST /api/generations/{id}/retry",
                "POST /api/training-runs",
                "POST /api/training-runs/{id}/cancel",
                "POST /api/training-runs/{id}/pause",
                "POST /api/training-runs/{id}/resume",
            ],
            operations);

        var post = paths.GetProperty("/api/generations").GetProperty("post");
        Assert.Equal("#/components/schemas/GenerationSubmission",
            post.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema").GetProperty("$ref").GetString());
        var responses = post.GetProperty("responses");
        foreach (var code in new[] { "202", "400", "429", "503" })
            Assert.True(responses.TryGetProperty(code, out _), $"POST /api/generations does not document {code}");

        var schemas = document.GetProperty("components").GetProperty("schemas");
        var job = schemas.GetProperty("JobView").GetProperty("properties");
        foreach (var property in new[] { "id", "status", "model", "conditions", "count", "seed", "preset", "priority", "imagesDone", "imagesAhead", "etaSeconds", "error", "createdAt", "startedAt", "completedAt", "images" })
            Assert.True(job.TryGetProperty(property, out _), $"JobView has no {property}");
        Assert.Equal(["queued", "running", "completed", "failed", "cancelled"],
            schemas.GetProperty("JobStatus").GetProperty("enum").EnumerateArray().Select(e => e.GetString()));
        Assert.True(schemas.TryGetProperty("BlueprintView", out _));
        Assert.True(schemas.TryGetProperty("ModelView", out _));
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("token", out _));
    }

    [Fact]
    public async Task The_document_needs_a_session_or_a_token()
    {
        using var anonymous = Host.NewClient();
        await (await anonymous.GetAsync("/openapi/v1.json")).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await anonymous.SendApiAsync(HttpMethod.Get, "/openapi/v1.json", bearer: "aigc_00000000_nope")).ProblemAsync(HttpStatusCode.Unauthorized);
    }
}
