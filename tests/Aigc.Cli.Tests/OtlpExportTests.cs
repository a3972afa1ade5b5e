using System.Collections.Concurrent;
using System.CommandLine;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Aigc.Cli.Commands;
using Aigc.Platform.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Data.Sqlite;

namespace Aigc.Cli.Tests;

/// <summary>With Observability:OtlpEndpoint set, `aigc generate` pushes its job's trace and the queue's metrics.</summary>
[Collection("Console")]
public sealed class OtlpExportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("aigc-otlp-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task A_generated_jobs_five_spans_and_its_counts_reach_an_OTLP_collector()
    {
        var received = new ConcurrentQueue<(string Path, string Body)>();
        await using var collector = await StartCollectorAsync(received);
        var config = WorkerSetup.Write(_dir);
        var settings = JsonNode.Parse(await File.ReadAllTextAsync(config))!;
        settings["Observability"] = new JsonObject { ["OtlpEndpoint"] = collector.Urls.Single(), ["OtlpProtocol"] = "HttpProtobuf" };
        await File.WriteAllTextAsync(config, settings.ToJsonString());

        var code = await new RootCommand("aigc") { GenerateCommand.Create() }.Parse([
            "generate", "--model", "tiny-parity@v1", "--set", "part=gear", "--set", "view=iso", "--set", "complexity=2",
            "--count", "2", "--seed", "9", "--config", config, "--out", Path.Combine(_dir, "out"),
        ]).InvokeAsync();
        Assert.Equal(0, code);

        // The command disposed its services, which flushed both exporters. OTLP is protobuf: its strings are UTF-8 bytes.
        var job = await JobIdAsync();
        var traces = string.Join("\n", received.Where(r => r.Path == "/v1/traces").Select(r => r.Body));
        Assert.Contains(job.ToString(), traces);
        Assert.Contains(PlatformTelemetry.JobIdTag, traces);
        Assert.All(PlatformTelemetry.JobSpans, span => Assert.Contains(span, traces));
        var metrics = string.Join("\n", received.Where(r => r.Path == "/v1/metrics").Select(r => r.Body));
        Assert.Contains("aigc.generation.images", metrics);
        Assert.Contains("aigc.job.first_image.duration", metrics);
    }

    private async Task<Guid> JobIdAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_dir, "data", "aigc.db")};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT Id FROM GenerationJobs";
        return Guid.Parse((string)(await command.ExecuteScalarAsync())!);
    }

    /// <summary>An OTLP/HTTP receiver on loopback that keeps every request body.</summary>
    private static async Task<WebApplication> StartCollectorAsync(ConcurrentQueue<(string, string)> received)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapPost("/v1/{signal}", async (HttpContext context, string signal) =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            received.Enqueue(($"/v1/{signal}", Encoding.UTF8.GetString(body.ToArray())));
            return Results.Ok();
        });
        await app.StartAsync();
        return app;
    }
}
