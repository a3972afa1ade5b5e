namespace Aigc.LoadTest;

/// <summary>
/// The run's figures as Markdown tables: the stages alone and the service without HTTP, one row per user level,
/// then latencies per job size. CPU milliseconds per image compare costs where a busy machine blurs throughput.
/// Each level is set against the slower stage alone (the issue's measure) and against both stages sharing the cores
/// with nothing else (what is left for the queue, database and HTTP to cost).
/// </summary>
public static class LoadReport
{
    public static void Write(TextWriter output, DirectResult? direct, IReadOnlyList<LevelResult> results)
    {
        output.WriteLine();
        output.WriteLine($"| stages measured | generator alone, batch 64, all cores | generator alone as served: batch 1, 1 thread | pipeline alone, all cores | both stages together, nothing else | service without HTTP ({(direct is null ? 64 : direct.Images / direct.Jobs)}-image bulk jobs into the queue) |");
        output.WriteLine("|---|---|---|---|---|---|");
        if (direct is not null)
        {
            output.WriteLine($"| direct run | {direct.Stage.Generator64} | {direct.Stage.Generator1} | {direct.Stage.Pipeline} | {direct.Stage.Together} | {direct.ImagesPerSecond:0} images/s " +
                             $"({Cpu(direct.CpuMillisecondsPerImage)}), {direct.ImagesPerSecond / direct.Stage.Slower:P0} of the slower stage, " +
                             $"{direct.ImagesPerSecond / direct.Stage.Together.ImagesPerSecond:P0} of both together |");
        }

        foreach (var r in results)
            output.WriteLine($"| {r.Users} users (mean of before and after) | {r.Stage.Generator64} | {r.Stage.Generator1} | {r.Stage.Pipeline} | {r.Stage.Together} | |");

        output.WriteLine();
        output.WriteLine("| users | jobs (images) | end-to-end images/s | / slower stage alone | / both stages together | portal CPU ms/image (stages alone: b1 + pipeline) | load tool's cores | 4-image first image p50 / p95 (ms) | 4-image completion p50 / p95 (ms) | refused | exactly once |");
        output.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            var previews = r.Measured.Where(j => j.Count == 4).ToList();
            output.WriteLine($"| {r.Users} | {r.Jobs} ({r.Images}) | {r.ImagesPerSecond:0} | {r.ImagesPerSecond / r.Stage.Slower:P0} | " +
                             $"{r.ImagesPerSecond / r.Stage.Together.ImagesPerSecond:P0} | " +
                             $"{Cpu(r.CpuMillisecondsPerImage)} ({r.Stage.ServiceWorkCpuMilliseconds:0.00}) | {r.ToolCores:0.00} | " +
                             $"{Percentiles(previews, j => j.FirstImage)} | {Percentiles(previews, j => j.Completion)} | {r.Refusals} | " +
                             $"{(r.Problems.Count == 0 ? "ok" : $"{r.Problems.Count} problems")} |");
        }

        output.WriteLine();
        output.WriteLine("| users | job size | jobs | first image p50 / p95 (ms) | completion p50 / p95 (ms) |");
        output.WriteLine("|---|---|---|---|---|");
        foreach (var r in results)
        {
            foreach (var size in r.Measured.GroupBy(j => j.Count).OrderBy(g => g.Key))
                output.WriteLine($"| {r.Users} | {size.Key} | {size.Count()} | {Percentiles(size.ToList(), j => j.FirstImage)} | {Percentiles(size.ToList(), j => j.Completion)} |");
        }
    }

    private static string Cpu(double? milliseconds) => milliseconds is null ? "n/a" : $"{milliseconds:0.00} CPU ms/image";

    private static string Percentiles(IReadOnlyList<JobRecord> jobs, Func<JobRecord, TimeSpan?> measure)
    {
        var values = jobs.Select(measure).OfType<TimeSpan>().Select(t => t.TotalMilliseconds).Order().ToList();
        return values.Count == 0 ? "n/a" : $"{Percentile(values, 0.50):0} / {Percentile(values, 0.95):0}";
    }

    /// <summary>Nearest rank.</summary>
    private static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
