using Aigc.Testing;
using System.Diagnostics;
using Aigc.Platform.Blobs;
using Aigc.Platform.Data;
using Aigc.Platform.Models;
using Microsoft.EntityFrameworkCore;

namespace Aigc.LoadTest;

/// <summary>
/// The whole run: a portal (started here or given), the stages alone, then each user level in turn with its
/// throughput, latencies per job size and exactly-once check, printed as Markdown tables.
/// </summary>
public sealed class LoadTestRun(LoadTestOptions options, TextWriter output)
{
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (options.Url is not null && options.DataDirectory is null)
            throw new ArgumentException("--url needs --data: the exactly-once check reads the portal's database and blobs.");
        var data = options.DataDirectory ?? Directory.CreateTempSubdirectory("aigc-load-").FullName;
        var database = options.Postgres is null ? LoadDatabase.Sqlite(data)
            : options.Url is null ? await LoadDatabase.CreateAsync(options.Postgres) : LoadDatabase.Existing(options.Postgres);
        try
        {
            return await RunAsync(data, database, cancellationToken);
        }
        finally
        {
            await database.DropAsync();
            // The data of a portal started here, after it and its workers stopped.
            if (options.Url is null)
                Directory.Delete(data, recursive: true);
        }
    }

    private async Task<int> RunAsync(string data, LoadDatabase database, CancellationToken cancellationToken)
    {
        await using var portal = options.Url is null ? await StartPortalAsync(data, database) : null;
        var workers = new List<PortalProcess>();
        try
        {
            // The workers migrate nothing new and register the shipped models again: after the portal, all at once.
            if (portal is not null)
                workers.AddRange(await Task.WhenAll(Enumerable.Range(0, options.Workers).Select(_ => PortalProcess.StartWorkerAsync(
                    data, database.WorkerArgument, ServiceSettings(database), TimeSpan.FromSeconds(120)))));
            _serviceCpu = portal is null ? () => null : () => workers.Aggregate(portal.CpuTime, (sum, w) => sum + w.CpuTime);
            return await RunAsync(data, database, portal, workers, cancellationToken);
        }
        finally
        {
            foreach (var worker in workers)
                await worker.DisposeAsync();
        }
    }

    private async Task<int> RunAsync(string data, LoadDatabase database, PortalProcess? portal, List<PortalProcess> workers, CancellationToken cancellationToken)
    {
        var baseAddress = options.Url ?? portal!.BaseAddress;
        var tokens = await LoadUsers.EnsureAsync(database, options.UserLevels.DefaultIfEmpty(0).Max());
        var blobs = new BlobStore(Path.Combine(data, "blobs"));

        output.WriteLine($"# Load test, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {LoadAverage()}");
        output.WriteLine($"portal {baseAddress}{(portal is null ? "" : $" (process {portal.Id})")}, data {data}, {database.Name}; " +
                         $"{(options.QueueOverheadBatches > 0 ? "no worker" : workers.Count == 0 ? "the portal's own worker" : $"{workers.Count} aigc worker processes, the portal's worker off")}; " +
                         $"{options.Duration.TotalSeconds:0} s per level, " +
                         $"first {options.Warmup.TotalSeconds:0} s left out, " +
                         $"after a {options.WarmUpLevel.TotalSeconds:0}-s warm-up level; " +
                         $"settings: {(options.PortalSettings.Count == 0 ? "defaults" : string.Join(", ", options.PortalSettings.Select(s => $"{s.Key}={s.Value}")))}");
        if (options.QueueOverheadBatches > 0)
        {
            await new QueueOverhead(data, database, output).MeasureAsync(options.QueueOverheadBatches, cancellationToken);
            return 0;
        }

        using var stages = new StageBenchmark(NewestShippedVersion(Path.Combine(options.ModelsDirectory, "blueprints")));
        using var training = options.TrainingSteps > 0
            ? await TrainingLoad.StartAsync(baseAddress, database, options.TrainingSteps, options.TrainingBatch, cancellationToken)
            : null;
        if (training is not null)
            output.WriteLine($"training run: {await training.IdleStepsPerSecondAsync(options.Duration, cancellationToken):0.00} " +
                             $"steps/s idle over {options.Duration.TotalSeconds:0} s (batch {options.TrainingBatch})");
        var results = new List<LevelResult>();
        var failed = false;
        if (options.WarmUpLevel > TimeSpan.Zero && options.UserLevels.Count > 0)
        {
            // A fresh portal compiles its hot paths again at tier 1 for about a minute (the JIT took 10 % of its CPU
            // in a first 20-s level; decision 0024): a cost a service that runs for days pays once, so no level
            // measures it.
            var users = options.UserLevels[0];
            var warm = await RunLevelAsync("warm-up", users, options.WarmUpLevel, seedBase: 7_000_000, baseAddress,
                tokens, database, blobs, stages, MeasureStages(stages), training: null, cancellationToken);
            failed |= warm.Problems.Count > 0;
            output.WriteLine($"warm-up level ({users} users, {options.WarmUpLevel.TotalSeconds:0} s, not reported " +
                             $"below): {warm.ImagesPerSecond:0} images/s, " +
                             $"{warm.CpuMillisecondsPerImage:0.00} portal CPU ms/image, " +
                             $"problems: {warm.Problems.Count}");
            foreach (var problem in warm.Problems.Take(10))
                output.WriteLine($"PROBLEM warm-up: {problem}");
        }

        foreach (var level in options.UserLevels)
        {
            var before = MeasureStages(stages);
            output.WriteLine($"{level} users, before: {before}");
            var result = await RunLevelAsync($"{level} users", level, options.Duration, seedBase: 1000 * level,
                baseAddress, tokens, database, blobs, stages, before, training, cancellationToken);
            results.Add(result);
            failed |= result.Problems.Count > 0;
            output.WriteLine($"level {level} done: {result.ImagesPerSecond:0} images/s, load average {LoadAverage()}");
        }

        if (training is not null)
            await training.CancelAsync(cancellationToken);

        // After the levels, so that the portal and this tool run optimised code: measured first, a fresh portal's first
        // thousand images ran at half speed (tier-0 code), the stages alone likewise.
        DirectResult? direct = null;
        if (options.DirectJobs > 0)
        {
            if (results.Count == 0)
            {
                MeasureStages(stages);
                await DirectSaturation.ImagesPerSecondAsync(data, database, 4, options.DirectSize, cancellationToken);
            }
            var before = MeasureStages(stages);
            var cpu = _serviceCpu();
            var rate = await DirectSaturation.ImagesPerSecondAsync(data, database, options.DirectJobs, options.DirectSize, cancellationToken);
            var images = options.DirectJobs * options.DirectSize;
            var cpuPerImage = PerImage(cpu, _serviceCpu(), images);
            var after = MeasureStages(stages);
            direct = new DirectResult(options.DirectJobs, images, rate, StageFigures.Mean(before, after), cpuPerImage);
            output.WriteLine($"direct: {rate:0} images/s, {direct.CpuMillisecondsPerImage:0.00} service CPU ms/image; before: {before}; after: {after}; load average {LoadAverage()}");
        }

        LoadReport.Write(output, direct, results);
        foreach (var problem in results.SelectMany(r => r.Problems.Select(p => $"{r.Users} users: {p}")).Take(50))
            output.WriteLine($"PROBLEM {problem}");
        return failed ? 1 : 0;
    }

    private StageFigures MeasureStages(StageBenchmark stages) => new(
        stages.Generator64(options.StageDuration),
        stages.GeneratorAsServed(options.StageDuration),
        stages.Pipeline(options.StageDuration),
        stages.Together(options.StageDuration));

    private Func<TimeSpan?> _serviceCpu = () => null;

    private async Task<PortalProcess> StartPortalAsync(string data, LoadDatabase database)
    {
        var settings = ServiceSettings(database);
        settings["AIGC_ADMIN_EMAIL"] = "admin@aigc.test";
        settings["AIGC_ADMIN_PASSWORD"] = "Load-Admin-Passw0rd";
        if (options.Workers > 0 || options.QueueOverheadBatches > 0)
            settings["Queue:RunWorker"] = "false";
        foreach (var (key, value) in options.PortalSettings)
            settings[key] = value;
        return await PortalProcess.StartAsync(data, settings, TimeSpan.FromSeconds(120));
    }

    /// <summary>What the portal and the workers share: the database, the models, quotas for simulated designers.</summary>
    private Dictionary<string, string> ServiceSettings(LoadDatabase database)
    {
        var settings = new Dictionary<string, string>(database.Settings, StringComparer.OrdinalIgnoreCase)
        {
            ["Queue:ShippedModelsDirectory"] = options.ModelsDirectory,
            // Simulated designers ask for far more than a person would in a day.
            ["Queue:DailyImageQuotas:Designer"] = "10000000",
        };
        foreach (var (key, value) in options.PortalSettings)
            settings[key] = value;
        return settings;
    }

    private async Task<LevelResult> RunLevelAsync(
        string label, int count, TimeSpan duration, int seedBase, Uri baseAddress, IReadOnlyList<string> tokens,
        LoadDatabase database, BlobStore blobs, StageBenchmark stages, StageFigures before, TrainingLoad? training,
        CancellationToken cancellationToken)
    {
        var users = Enumerable.Range(1, count)
            .Select(i => new SimulatedUser(baseAddress, tokens[i - 1], seed: seedBase + i)).ToList();
        try
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var steps = training is null ? 0 : await training.StepsDoneAsync(cancellationToken);
            var clock = Stopwatch.StartNew();
            var started = DateTime.UtcNow;
            stop.CancelAfter(duration);
            // The portal's CPU over the same window as the throughput: warm-up (JIT, tiering) left out, drain too.
            var window = SampleCpuAsync(_serviceCpu, options.Warmup, duration, cancellationToken);
            await Task.WhenAll(users.Select(u => u.RunAsync(clock, stop.Token, cancellationToken)));
            var drained = clock.Elapsed;
            if (training is not null)
                output.WriteLine($"training run while {count} users submitted: " +
                                 $"{(await training.StepsDoneAsync(cancellationToken) - steps) / drained.TotalSeconds:0.00} steps/s");
            var (cpu, cpuAfter, toolCores) = await window;
            // This VM's speed drifts within minutes: the level is set against the stages on both sides of it.
            var after = MeasureStages(stages);
            output.WriteLine($"{label}, after: {after}");

            var from = started + options.Warmup;
            var to = started + duration;
            await using var db = database.Open();
            var stored = await ExactlyOnceCheck.StoredBetweenAsync(db, from, to);
            var jobs = users.SelectMany(u => u.Jobs).ToList();
            var problems = await ExactlyOnceCheck.RunAsync(db, blobs, jobs);
            var measured = jobs.Where(j => j.Submitted >= options.Warmup).ToList();
            return new LevelResult(count, StageFigures.Mean(before, after), stored / (to - from).TotalSeconds, jobs.Count, jobs.Sum(j => j.Count), drained,
                users.Sum(u => u.Refusals), PerImage(cpu, cpuAfter, stored), toolCores, measured, problems);
        }
        finally
        {
            foreach (var user in users)
                user.Dispose();
            LoadDatabase.ClearPools();
        }
    }

    /// <summary>The version a fresh portal serves by default (see ModelRegistry.RegisterShippedAsync).</summary>
    private static string NewestShippedVersion(string model) =>
        Directory.EnumerateDirectories(model).Where(d => File.Exists(Path.Combine(d, ModelFiles.ManifestFileName)))
            .MaxBy(Path.GetFileName, ShippedVersionOrder.Instance)
        ?? throw new InvalidOperationException($"No model version under {model}.");

    /// <summary>The service's CPU (portal and workers) at both ends of the window, and the cores this tool (the simulated users) used in it.</summary>
    private static async Task<(TimeSpan? From, TimeSpan? To, double ToolCores)> SampleCpuAsync(Func<TimeSpan?> serviceCpu, TimeSpan from, TimeSpan to, CancellationToken cancellationToken)
    {
        using var tool = Process.GetCurrentProcess();
        await Task.Delay(from, cancellationToken);
        var atFrom = serviceCpu();
        var toolAtFrom = tool.TotalProcessorTime;
        await Task.Delay(to - from, cancellationToken);
        tool.Refresh();
        return (atFrom, serviceCpu(), (tool.TotalProcessorTime - toolAtFrom) / (to - from));
    }

    private static double? PerImage(TimeSpan? before, TimeSpan? after, int images) =>
        before is null || after is null || images == 0 ? null : (after.Value - before.Value).TotalMilliseconds / images;

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
}

/// <summary>Images per second of each stage alone, measured just before a level (and, for a level, after it too).</summary>
public sealed record StageFigures(StageRate Generator64, StageRate Generator1, StageRate Pipeline, StageRate Together)
{
    public static StageFigures Mean(StageFigures a, StageFigures b) => new(
        StageRate.Mean(a.Generator64, b.Generator64), StageRate.Mean(a.Generator1, b.Generator1),
        StageRate.Mean(a.Pipeline, b.Pipeline), StageRate.Mean(a.Together, b.Together));

    public double Slower => Math.Min(Generator64.ImagesPerSecond, Pipeline.ImagesPerSecond);

    /// <summary>CPU per image of the work the service itself does: one image per engine pass, then the preset.</summary>
    public double ServiceWorkCpuMilliseconds => Generator1.CpuMillisecondsPerImage + Pipeline.CpuMillisecondsPerImage;

    public override string ToString() =>
        $"stages alone: generator {Generator64} at batch 64, {Generator1} as served (batch 1, 1 thread); pipeline {Pipeline}; both together, nothing else {Together}";
}

/// <summary>The portal's worker saturated with bulk jobs written straight into its queue.</summary>
public sealed record DirectResult(int Jobs, int Images, double ImagesPerSecond, StageFigures Stage, double? CpuMillisecondsPerImage);

public sealed record LevelResult(
    int Users, StageFigures Stage, double ImagesPerSecond, int Jobs, int Images, TimeSpan Elapsed, int Refusals, double? CpuMillisecondsPerImage,
    double ToolCores, IReadOnlyList<JobRecord> Measured, IReadOnlyList<string> Problems);
