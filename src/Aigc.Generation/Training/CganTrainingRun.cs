using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Aigc.Generation.Datasets;
using Aigc.Generation.Manifest;
using Aigc.Neural;

namespace Aigc.Generation.Training;

/// <summary>
/// A whole training run into a model version folder: batches drawn from (seed, step) alone, one
/// <see cref="CganTrainer"/> step each, metrics.jsonl, sample grids, atomic checkpoints, and at the end
/// manifest.json (with the training record and model card), generator.safetensors (EMA weights),
/// metrics.json and samples.png. Stopping (cancellation) happens between steps and checkpoints first, so
/// <see cref="TrainingRunOptions.Resume"/> continues exactly where the run stopped.
/// </summary>
public sealed class CganTrainingRun(TrainingRunOptions options, NeuralEngine engine)
{
    public const string MetricsLog = "metrics.jsonl";
    public const string SamplesFile = "samples.png";
    public const string WeightsFile = "generator.safetensors";

    /// <summary>Fixed latents for sample grids, so grids of different runs and steps compare.</summary>
    public const ulong SampleSeed = 20261122;

    private static readonly JsonSerializerOptions JsonLine = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public TrainingRunOptions Options { get; } = options;

    /// <summary>Runs (or resumes) to <see cref="TrainingRunOptions.Steps"/>; returns the final step reached.</summary>
    public long Run(IProgress<StepReport>? progress = null, CancellationToken cancellationToken = default, TrainingHooks? hooks = null)
    {
        if (Options.Steps < 1 || Options.BatchSize < 1 || Options.CheckpointEvery < 1 || Options.SampleEvery < 0)
            throw new ArgumentException($"--steps, --batch and --checkpoint-every must be at least 1 and --sample-every at least 0 (got {Options.Steps}, {Options.BatchSize}, {Options.CheckpointEvery}, {Options.SampleEvery}).");
        if (Options.Settings.DiversityWeight < 0 || !(Options.Settings.DiversityCap > 0))
            throw new ArgumentException($"--diversity must be at least 0 and --diversity-cap above 0 (got {Options.Settings.DiversityWeight}, {Options.Settings.DiversityCap}).");
        var manifest = CganManifest.Load(Options.ManifestPath);
        var data = BlueprintDataset.Load(Options.DataDirectory);
        data.RequireCompatible(manifest);
        var pack = manifest.Discriminator.PackSize;
        if (Options.BatchSize % pack != 0)
            throw new ArgumentException($"--batch {Options.BatchSize} must be a multiple of the discriminator's pack ({pack}).");
        var groups = pack > 1 ? ConditionGroups.Of(data, pack) : null;
        var dataHash = DatasetFolder.Hash(Options.DataDirectory);
        var output = Options.OutputDirectory;
        Directory.CreateDirectory(Path.Combine(output, "samples"));
        var checkpoint = Path.Combine(output, CganCheckpoint.FileName);
        var trainer = new CganTrainer(manifest, engine, Options.Settings, Options.Seed);
        long start = 0;
        double elapsedBefore = 0;
        if (Options.Resume)
        {
            if (!File.Exists(checkpoint))
                throw new IOException($"--resume: {checkpoint} does not exist.");
            start = CganCheckpoint.Load(trainer, checkpoint, engine.MaxSafetensorsHeaderBytes);
            if (start > Options.Steps)
                throw new ArgumentException($"--resume: the checkpoint is at step {start}, beyond --steps {Options.Steps}.");
            elapsedBefore = TrimMetrics(Path.Combine(output, MetricsLog), start);
        }
        else if (File.Exists(checkpoint) || File.Exists(Path.Combine(output, "manifest.json")))
        {
            throw new IOException($"{output} already holds a run; pass --resume to continue it or choose another --out.");
        }
        else
        {
            File.Delete(Path.Combine(output, MetricsLog));
        }

        var clock = Stopwatch.StartNew();
        var real = new Tensor(0, 0);
        var indices = new int[Options.BatchSize];
        var step = start;
        using (var metrics = new StreamWriter(Path.Combine(output, MetricsLog), append: true))
        {
            while (step < Options.Steps && !cancellationToken.IsCancellationRequested)
            {
                step++;
                if (groups is null)
                    DrawBatch(step, data.Count, indices);
                else
                    groups.DrawBatch(BatchRandom(step), indices);
                var conditions = data.Fill(indices, real, manifest.Schema);
                var (lossD, lossG) = trainer.Step(real, conditions, RandomSource.Mix(Options.Seed ^ RandomSource.Mix((ulong)step)));
                if (!double.IsFinite(lossD) || !double.IsFinite(lossG))
                    throw new InvalidOperationException($"Step {step}: losses are not finite (D {lossD}, G {lossG}); lower the learning rates.");
                var elapsed = clock.Elapsed.TotalSeconds;
                var report = new StepReport(step, Options.Steps, start, lossD, lossG, (step - start) * Options.BatchSize / Math.Max(elapsed, 1e-9), elapsedBefore + elapsed);
                metrics.WriteLine(JsonSerializer.Serialize(new { step, lossD, lossG, imagesPerSecond = report.ImagesPerSecond, elapsedSeconds = report.ElapsedSeconds }, JsonLine));
                progress?.Report(report);
                if (Options.SampleEvery > 0 && step % Options.SampleEvery == 0)
                {
                    var grid = SampleGrid(trainer, manifest);
                    File.WriteAllBytes(Path.Combine(output, "samples", $"step-{step:D6}.png"), grid);
                    hooks?.Sampled?.Invoke(step, grid);
                }

                // Between steps: where a host lets more urgent work run (it may wait here); a stop asked for
                // meanwhile still checkpoints this step.
                hooks?.BetweenSteps?.Invoke(step, cancellationToken);
                if (step % Options.CheckpointEvery == 0 || step == Options.Steps || cancellationToken.IsCancellationRequested)
                {
                    metrics.Flush();
                    CganCheckpoint.Save(trainer, checkpoint, step);
                    hooks?.Checkpointed?.Invoke(step, checkpoint);
                }
            }
        }

        if (step < Options.Steps)
            return step;
        Finish(trainer, manifest, data, dataHash, elapsedBefore + clock.Elapsed.TotalSeconds);
        return step;
    }

    /// <summary>Batch indices of a step depend only on (seed, step): what makes a resumed run identical.</summary>
    public void DrawBatch(long step, int count, Span<int> into)
    {
        var random = BatchRandom(step);
        for (var i = 0; i < into.Length; i++)
            into[i] = (int)(random.NextUInt64() % (ulong)count);
    }

    private RandomSource BatchRandom(long step) => new(RandomSource.Mix(Options.Seed + 0x632BE59BD9B4E019UL * (ulong)step));

    /// <summary>
    /// One row per part class of the manifest; columns: its views at its two highest complexities (medium then high
    /// for the shipped schema), fixed latents.
    /// </summary>
    public static byte[] SampleGrid(CganTrainer trainer, CganManifest manifest)
    {
        var network = trainer.EmaGenerator ?? trainer.Generator;
        var wasTraining = network.Training;
        network.Eval();
        var parts = ValuesOf(manifest, BlueprintConditions.Part);
        var views = ValuesOf(manifest, BlueprintConditions.View);
        var complexities = ValuesOf(manifest, BlueprintConditions.Complexity).TakeLast(2).ToList();
        var columns = views.Count * complexities.Count;
        var n = parts.Count * columns;
        var latent = new Tensor(n, manifest.LatentDim);
        var conditions = new ConditionBatch(manifest.Schema, n);
        for (var i = 0; i < n; i++)
        {
            var (row, column) = (i / columns, i % columns);
            LatentSampler.Fill(SampleSeed, column, latent.Span.Slice(i * manifest.LatentDim, manifest.LatentDim));
            var label = new BlueprintLabel(parts[row], views[column % views.Count], complexities[column / views.Count]);
            BlueprintDataset.Encode(label, manifest.Schema, conditions, i);
        }

        var images = network.Forward(latent, conditions);
        if (wasTraining)
            network.Train();
        var length = manifest.ImageSize * manifest.ImageSize;
        var rows = Enumerable.Range(0, parts.Count)
            .Select(r => (IReadOnlyList<byte[]>)Enumerable.Range(0, columns)
                .Select(c => ImageGrid.ToPixels(images.Span.Slice((r * columns + c) * length, length))).ToList())
            .ToList();
        return ImageGrid.EncodePng(rows, manifest.ImageSize, zoom: manifest.ImageSize < 64 ? 2 : 1);
    }

    /// <summary>The values of one of the blueprint conditions in the manifest's schema (its order).</summary>
    public static IReadOnlyList<string> ValuesOf(CganManifest manifest, string condition) =>
        manifest.Schema.Categorical.FirstOrDefault(c => c.Name == condition)?.Values
        ?? throw new ManifestException($"manifest \"{manifest.Name}\" has no categorical condition \"{condition}\".");

    private void Finish(CganTrainer trainer, CganManifest manifest, BlueprintDataset data, string dataHash, double seconds)
    {
        var output = Options.OutputDirectory;
        var network = trainer.EmaGenerator ?? trainer.Generator;
        var s = Options.Settings;
        var record = new TrainingRecord
        {
            DataHash = dataHash,
            DataGenerator = $"{data.Info.Generator.Name} {data.Info.Generator.Version}",
            DataCount = data.Count,
            Steps = Options.Steps,
            BatchSize = Options.BatchSize,
            Seed = Options.Seed,
            Loss = s.Loss.ToString().ToLowerInvariant(),
            GeneratorLearningRate = s.GeneratorLearningRate,
            DiscriminatorLearningRate = s.DiscriminatorLearningRate,
            Beta1 = s.Beta1,
            Beta2 = s.Beta2,
            EmaDecay = s.EmaDecay,
            DiversityWeight = s.DiversityWeight > 0 ? s.DiversityWeight : null,
            DiversityCap = s.DiversityWeight > 0 ? s.DiversityCap : null,
            EngineVersion = $"Aigc.Neural {typeof(NeuralEngine).Assembly.GetName().Version} ({engine.Gemm.GetType().Name}, {engine.Threads} threads)",
            TrainingSeconds = Math.Round(seconds, 1),
            Machine = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}",
            FinishedUtc = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
        var weights = Path.Combine(output, WeightsFile);
        Neural.Safetensors.StateDictFile.Save(network, weights + ".tmp");
        File.Move(weights + ".tmp", weights, overwrite: true);
        File.WriteAllBytes(Path.Combine(output, SamplesFile), SampleGrid(trainer, manifest));
        var summary = Summarise(Path.Combine(output, MetricsLog), record);
        ModelMetricsFile.SetSection(output, "training", summary);
        var trained = manifest with { Training = record, Card = manifest.Card ?? new ModelCard() };
        DatasetFolder.WriteAtomically(Path.Combine(output, "manifest.json"), System.Text.Encoding.UTF8.GetBytes(trained.ToJson()));
    }

    /// <summary>Final losses averaged over the last 100 logged steps, and the first 100 for comparison.</summary>
    private static object Summarise(string log, TrainingRecord record)
    {
        var lines = File.ReadAllLines(log).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        double Mean(IEnumerable<JsonElement> e, string key) => e.Select(x => x.GetProperty(key).GetDouble()).DefaultIfEmpty(double.NaN).Average();
        var first = lines.Take(100).ToList();
        var last = lines.TakeLast(100).ToList();
        return new
        {
            steps = record.Steps,
            trainingSeconds = record.TrainingSeconds,
            firstSteps = new { lossD = Mean(first, "lossD"), lossG = Mean(first, "lossG") },
            lastSteps = new { lossD = Mean(last, "lossD"), lossG = Mean(last, "lossG") },
            imagesPerSecond = lines.Count == 0 ? 0 : lines[^1].GetProperty("imagesPerSecond").GetDouble(),
        };
    }

    /// <summary>
    /// After a kill, the log may run past the checkpoint and end in a torn line: keep only whole lines up to the
    /// checkpoint's step, so the resumed run's log has each step once. Returns the training time logged so far.
    /// </summary>
    private static double TrimMetrics(string log, long step)
    {
        if (!File.Exists(log))
            return 0;
        var kept = File.ReadAllLines(log).Select(l => (Line: l, Logged: Logged(l))).Where(l => l.Logged is { } s && s.Step <= step).ToList();
        File.WriteAllLines(log, kept.Select(l => l.Line));
        return kept.Count == 0 ? 0 : kept[^1].Logged!.Value.Seconds;
    }

    private static (long Step, double Seconds)? Logged(string line)
    {
        try
        {
            using var json = JsonDocument.Parse(line);
            return (json.RootElement.GetProperty("step").GetInt64(), json.RootElement.GetProperty("elapsedSeconds").GetDouble());
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }
}
