using System.Diagnostics;
using System.Security.Cryptography;
using Aigc.Imaging;
using Aigc.Neural;
using Aigc.Platform;
using Aigc.Platform.Accounts;
using Aigc.Platform.Blobs;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.LoadTest;

/// <summary>
/// What the queue of record costs a worker per batch, without generating anything: claiming a job, renewing the
/// lease, writing the batch's files to the blob store and storing its rows (one transaction), each timed alone on
/// the portal's database, with no worker running. Batches of Queue:BatchSize images of one job each, files of the
/// size a preset's PNG has, random so that none is shared.
/// </summary>
public sealed class QueueOverhead(string dataDirectory, LoadDatabase database, TextWriter output)
{
    private const int BatchSize = 16;
    private const int FileBytes = 40_000;

    public async Task MeasureAsync(int batches, CancellationToken cancellationToken)
    {
        var settings = new Dictionary<string, string?> { ["Platform:DataDirectory"] = dataDirectory, ["Queue:RunWorker"] = "false" };
        foreach (var (key, value) in database.Settings)
            settings[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        await using var services = new ServiceCollection().AddLogging()
            .AddNeural(configuration).AddImaging(configuration).AddPlatform(configuration)
            .BuildServiceProvider();
        await using (var scope = services.CreateAsyncScope())
        {
            var queue = scope.ServiceProvider.GetRequiredService<GenerationQueue>();
            var conditions = new Dictionary<string, string> { ["part"] = "flange", ["view"] = "front", ["complexity"] = "medium" };
            for (var i = 0; i < batches; i++)
            {
                await queue.EnqueueAsync(new GenerationRequest("blueprints-64", conditions, BatchSize, 1000L * i, "default", JobPriority.Bulk),
                    new Requester($"load-overhead-{i * BatchSize / 1024}", [PortalRoles.Admin]), cancellationToken);
            }
        }

        var leases = new JobLeases(services.GetRequiredService<IDbContextFactory<PortalDbContext>>(), $"overhead:{Environment.ProcessId}",
            TimeSpan.FromSeconds(60), 2, TimeProvider.System);
        var blobs = services.GetRequiredService<BlobStore>();
        var steps = new Dictionary<string, List<(double Wall, double Cpu)>> { ["claim"] = [], ["renew"] = [], ["blob writes"] = [], ["store"] = [] };
        using var tool = Process.GetCurrentProcess();
        async Task<T> TimeAsync<T>(string step, Func<Task<T>> work)
        {
            tool.Refresh();
            var cpu = tool.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var result = await work();
            var wall = clock.Elapsed.TotalMilliseconds;
            tool.Refresh();
            steps[step].Add((wall, (tool.TotalProcessorTime - cpu).TotalMilliseconds));
            return result;
        }

        for (var i = 0; i < batches; i++)
        {
            var job = (await TimeAsync("claim", () => leases.ClaimAsync(1, cancellationToken))).Single().Job;
            await TimeAsync("renew", () => leases.RenewAsync([job.Id], cancellationToken));
            var files = await TimeAsync("blob writes", () => Task.WhenAll(Enumerable.Range(0, BatchSize)
                .Select(_ => blobs.PutAsync(RandomNumberGenerator.GetBytes(FileBytes), cancellationToken))));

            var now = DateTime.UtcNow;
            var rows = files.Select((sha, index) => new Blueprint
            {
                Id = Guid.CreateVersion7(), JobId = job.Id, Index = index, Seed = job.Seed + index, ConditionsJson = job.ConditionsJson,
                FileSha256 = sha, ContentType = "image/png", Width = 512, Height = 512, FileBytes = FileBytes, OwnerId = job.UserId,
                ModelSha256 = job.ModelSha256, Preset = job.Preset, CreatedAt = now,
            }).ToList();
            var outcome = await TimeAsync("store", () => leases.StoreAsync(job.Id, rows, cancellationToken));
            if (outcome != StoreOutcome.Completed)
                throw new InvalidOperationException($"Storing batch {i} ended {outcome}, not Completed.");
        }

        // The first batches pay for JIT and the connection pool: the figures leave out the first tenth.
        var skip = batches / 10;
        output.WriteLine();
        output.WriteLine($"Queue overhead on {database.Name}, {batches - skip} batches of {BatchSize} images ({FileBytes / 1000} kB files), load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]}:");
        output.WriteLine();
        output.WriteLine("| step | mean ms per batch | p50 | p95 | mean ms per image | this tool's CPU ms per batch (the database server's not counted) |");
        output.WriteLine("|---|---|---|---|---|---|");
        var total = new (double Wall, double Cpu)[batches - skip];
        foreach (var (step, times) in steps)
        {
            var measured = times.Skip(skip).ToList();
            for (var i = 0; i < measured.Count; i++)
                total[i] = (total[i].Wall + measured[i].Wall, total[i].Cpu + measured[i].Cpu);
            output.WriteLine(Row(step, measured));
        }

        output.WriteLine(Row("all four", total));
    }

    private static string Row(string step, IReadOnlyCollection<(double Wall, double Cpu)> times)
    {
        var sorted = times.Select(t => t.Wall).Order().ToList();
        return $"| {step} | {sorted.Average():0.0} | {Rank(sorted, 0.5):0.0} | {Rank(sorted, 0.95):0.0} | {sorted.Average() / BatchSize:0.00} | " +
               $"{times.Average(t => t.Cpu):0.0} |";
    }

    private static double Rank(IReadOnlyList<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
