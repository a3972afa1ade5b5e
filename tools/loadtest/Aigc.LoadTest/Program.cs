using System.CommandLine;
using Aigc.LoadTest;

// System.CommandLine has no converter for Uri: without this parser every --url was refused.
var url = new Option<Uri?>("--url")
{
    Description = "A running portal to load; without it the tool starts one on a fresh data directory",
    CustomParser = result =>
    {
        var text = result.Tokens.Single().Value;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
            return uri;
        result.AddError($"--url must be an absolute http or https address, not \"{text}\".");
        return null;
    },
};
var data = new Option<string?>("--data") { Description = "The portal's data directory (required with --url: the database checks read it)" };
var models = new Option<string?>("--models") { Description = "The models folder (default: the repository's models/, found above the tool)" };
var users = new Option<string>("--users") { Description = "Comma-separated numbers of simulated users, one level each", DefaultValueFactory = _ => "1,8,32" };
var seconds = new Option<int>("--seconds") { Description = "How long users submit at each level", DefaultValueFactory = _ => 20 };
var warmup = new Option<int>("--warmup") { Description = "Seconds at the start of each level left out of the figures", DefaultValueFactory = _ => 3 };
var warmUpLevel = new Option<int>("--warm-up-level")
{
    Description = "Seconds the first level's users submit before any level is measured, so that the portal runs " +
                  "tier-1 code as a long-running service does (0: measure a fresh portal's first minute too)",
    DefaultValueFactory = _ => 60,
};
var stageSeconds = new Option<int>("--stage-seconds") { Description = "How long each stage alone is measured before each level", DefaultValueFactory = _ => 3 };
var direct = new Option<int>("--direct-jobs") { Description = "Jobs (of --direct-size images) written straight into the queue before the levels, to measure the service without HTTP (0: skip)", DefaultValueFactory = _ => 16 };
var directSize = new Option<int>("--direct-size") { Description = "Images per job written straight into the queue (1–64): small jobs show the per-job cost", DefaultValueFactory = _ => 64 };
directSize.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int>() is < 1 or > 64)
        result.AddError("--direct-size must be between 1 and 64.");
});
var postgres = new Option<string?>("--postgres")
{
    Description = "A PostgreSQL server (Npgsql connection string): the started portal gets a new database on it, dropped after the run; with --url, the portal's own database",
};
var workerCount = new Option<int>("--workers") { Description = "Separate `aigc worker` processes to start, the portal's own worker off (0: the portal's worker)", DefaultValueFactory = _ => 0 };
workerCount.Validators.Add(result =>
{
    if (result.GetValueOrDefault<int>() is < 0 or > 16)
        result.AddError("--workers must be between 0 and 16.");
});
var overhead = new Option<int>("--queue-overhead")
{
    Description = "Instead of users: time this many batches of the queue's own work (claim, renew, blob writes, store) with no worker running (0: skip)",
    DefaultValueFactory = _ => 0,
};
var trainingSteps = new Option<int>("--training-steps")
{
    Description = "Queue a training run of this many steps (a trainer's upload of a synthetic dataset) before the levels, " +
                  "and report its steps/s idle and during each level (0: no run)",
    DefaultValueFactory = _ => 0,
};
var trainingBatch = new Option<int>("--training-batch") { Description = "Images per step of that run", DefaultValueFactory = _ => 16 };
var settings = new Option<string[]>("--set") { Description = "KEY=VALUE configuration for the started portal, e.g. Queue:BatchSize=16 (repeatable)" };

var root = new RootCommand("Load test of the generation service: simulated users over the HTTP API, throughput and latency, exactly-once check, stages alone")
{
    url, data, models, users, seconds, warmup, stageSeconds, direct, directSize, settings, postgres, workerCount, overhead,
    trainingSteps, trainingBatch, warmUpLevel,
};
root.SetAction(async (parseResult, cancellationToken) =>
{
    var options = new LoadTestOptions(
        parseResult.GetValue(url),
        parseResult.GetValue(data),
        parseResult.GetValue(models) ?? LoadTestOptions.FindModels(),
        parseResult.GetValue(users)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToList(),
        TimeSpan.FromSeconds(parseResult.GetValue(seconds)),
        TimeSpan.FromSeconds(parseResult.GetValue(warmup)),
        TimeSpan.FromSeconds(parseResult.GetValue(stageSeconds)),
        parseResult.GetValue(direct),
        parseResult.GetValue(directSize),
        LoadTestOptions.ParseSettings(parseResult.GetValue(settings) ?? []),
        parseResult.GetValue(postgres),
        parseResult.GetValue(workerCount),
        parseResult.GetValue(overhead),
        parseResult.GetValue(trainingSteps),
        parseResult.GetValue(trainingBatch),
        TimeSpan.FromSeconds(parseResult.GetValue(warmUpLevel)));
    return await new LoadTestRun(options, Console.Out).RunAsync(cancellationToken);
});
return await root.Parse(args).InvokeAsync();
