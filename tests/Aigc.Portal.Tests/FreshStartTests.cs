using System.Net;
using Aigc.Platform.Gallery;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.Portal.Tests;

/// <summary>A first start on an empty data directory, as ./build.sh run does it, logs no warning.</summary>
public sealed class FreshStartTests
{
    // Data-protection keys at rest are another change's (they move into the database); their warning is let through.
    private const string KeysCategory = "Microsoft.AspNetCore.DataProtection";

    private static readonly string[] Levels = ["Warning ", "Error ", "Critical "];

    [Fact]
    public async Task A_fresh_start_logs_no_warnings()
    {
        await using var host = new PortalHost(environment: "Production");
        using var client = host.NewClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
        // The purge's first pass runs at start in the background; one more pass compiles its query for sure.
        await host.Services.GetRequiredService<BlueprintPurge>().PurgeAsync();
        await client.GetAsync("/account/login");

        var warnings = host.Logs
            .Where(line => Levels.Any(level => line.StartsWith(level, StringComparison.Ordinal)))
            .Where(line => !line.Contains($" {KeysCategory}", StringComparison.Ordinal))
            .ToList();
        Assert.True(warnings.Count == 0, "A fresh start logged:\n" + string.Join("\n", warnings));
    }
}
