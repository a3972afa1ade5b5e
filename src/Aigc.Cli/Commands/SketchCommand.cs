using System.CommandLine;
using System.Text.Json;
using Aigc.Generation;
using Aigc.Generation.Manifest;
using Aigc.Generation.Sketches;
using Aigc.Generation.Training;
using Aigc.Neural;

namespace Aigc.Cli.Commands;

/// <summary>
/// <c>aigc sketch train|eval</c>: trains the sketch encoder of a model version (generator frozen) into
/// encoder.safetensors next to its generator, and measures it on held-out synthetic drawings (decision 0021).
/// </summary>
public static class SketchCommand
{
    public static Command Create()
    {
        var command = new Command("sketch", "Train and evaluate the sketch encoder of a model version");
        command.Subcommands.Add(Train());
        command.Subcommands.Add(Eval());
        command.Subcommands.Add(SketchBench.Create());
        command.Subcommands.Add(Sheet());
        return command;
    }

    private static Command Train()
    {
        var model = ModelOption();
        var steps = new Option<int>("--steps") { Description = "Training steps", DefaultValueFactory = _ => 400 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of initialisation, drawings and latents", DefaultValueFactory = _ => 21 };
        var drawings = new Option<int>("--drawings") { Description = "Synthetic drawings to train on", DefaultValueFactory = _ => 2400 };
        var threads = ThreadsOption();
        var command = new Command("train", "Train the encoder (drawing → conditions and latent) of a model version")
        {
            model, steps, seed, drawings, threads,
        };
        command.SetAction((parse, ct) => DatasetCommand.Guarded("sketch train", () =>
        {
            var dir = parse.GetValue(model)!.FullName;
            var engine = new NeuralEngine(new NeuralOptions { Threads = parse.GetValue(threads) });
            var manifest = CganManifest.Load(Path.Combine(dir, "manifest.json"));
            var generator = Generator.Create(manifest, engine);
            generator.LoadWeights(Path.Combine(dir, CganTrainingRun.WeightsFile));
            var encoder = SketchEncoder.Untrained(generator, engine);
            var options = new SketchEncoderTrainingOptions
            {
                Steps = parse.GetValue(steps),
                Seed = parse.GetValue(seed),
                Drawings = parse.GetValue(drawings),
            };
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var (latent, conditions) = SketchEncoderTraining.Train(encoder, engine, options, new Reporter(), ct);
            encoder.Save(Path.Combine(dir, SketchEncoder.WeightsFile));
            ModelMetricsFile.SetSection(dir, "sketchEncoderTraining", new
            {
                options.Steps, options.BatchSize, options.Drawings, options.Seed, options.LearningRate,
                LatentMse = latent, ConditionCrossEntropy = conditions, Seconds = Math.Round(clock.Elapsed.TotalSeconds),
            });
            Console.WriteLine($"encoder written to {Path.Combine(dir, SketchEncoder.WeightsFile)} in {clock.Elapsed.TotalSeconds:F0} s " +
                $"(latent MSE {latent:F3}, conditions CE {conditions:F3})");
        }));
        return command;
    }

    private static Command Eval()
    {
        var model = ModelOption();
        var count = new Option<int>("--count") { Description = "Held-out drawings", DefaultValueFactory = _ => 300 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the held-out drawings (not the training seed)", DefaultValueFactory = _ => 9001 };
        var candidates = new Option<int>("--candidates") { Description = "Condition candidates searched", DefaultValueFactory = _ => SketchRefinement.Default.Candidates };
        var steps = new Option<int>("--steps") { Description = "Latent steps per drawing", DefaultValueFactory = _ => SketchRefinement.Default.Steps };
        var threads = ThreadsOption();
        var command = new Command("eval", "Measure the encoder on held-out synthetic drawings, clean and hand-degraded")
        {
            model, count, seed, candidates, steps, threads,
        };
        command.SetAction((parse, ct) => DatasetCommand.Guarded("sketch eval", () =>
        {
            var dir = parse.GetValue(model)!.FullName;
            var engine = new NeuralEngine(new NeuralOptions { Threads = parse.GetValue(threads) });
            var manifest = CganManifest.Load(Path.Combine(dir, "manifest.json"));
            var encoder = SketchEncoder.Load(Path.Combine(dir, CganTrainingRun.WeightsFile), Path.Combine(dir, SketchEncoder.WeightsFile), manifest, engine);
            var refinement = SketchRefinement.Default with { Candidates = parse.GetValue(candidates), Steps = parse.GetValue(steps) };
            var report = SketchEvaluation.Run(encoder, parse.GetValue(count), parse.GetValue(seed), refinement, new Reporter(), ct);
            Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
        }));
        return command;
    }

    private static Command Sheet()
    {
        var model = ModelOption();
        var output = new Option<FileInfo>("--out") { Description = "PNG to write", Required = true };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the drawings (not the training seed)", DefaultValueFactory = _ => 9101 };
        var command = new Command("sheet", "Sketch → closest drawing → four variants, one row per part, as a PNG") { model, output, seed };
        command.SetAction((parse, ct) => DatasetCommand.Guarded("sketch sheet", () =>
        {
            var dir = parse.GetValue(model)!.FullName;
            var engine = new NeuralEngine(new NeuralOptions());
            var manifest = CganManifest.Load(Path.Combine(dir, "manifest.json"));
            var encoder = SketchEncoder.Load(Path.Combine(dir, CganTrainingRun.WeightsFile),
                Path.Combine(dir, SketchEncoder.WeightsFile), manifest, engine);
            File.WriteAllBytes(parse.GetValue(output)!.FullName, SketchSheet.Render(encoder, parse.GetValue(seed), ct));
        }));
        return command;
    }

    private static Option<DirectoryInfo> ModelOption() =>
        new("--model") { Description = "Model version folder (manifest.json, generator.safetensors)", Required = true };

    private static Option<int> ThreadsOption() =>
        new("--threads") { Description = "Compute threads (0 = all cores)", DefaultValueFactory = _ => 0 };

    private sealed class Reporter : IProgress<string>
    {
        public void Report(string value) => Console.Error.WriteLine($"sketch: {value}");
    }
}
