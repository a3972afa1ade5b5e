using System.CommandLine;
using Aigc.Generation;
using Aigc.Generation.Evaluation;
using Aigc.Generation.Manifest;
using Aigc.Generation.Training;
using Aigc.Generation.Upscaling;
using Aigc.Neural;

namespace Aigc.Cli.Commands;

/// <summary>
/// <c>aigc eval</c>: classifier-based metrics of a model version into its metrics.json, against a dataset (the
/// project's own evaluation) and/or by outside judges on drawings of unused seeds (the "judges" section).
/// </summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model")
        {
            Description = "Model version folder (manifest.json, generator.safetensors)", Required = true,
        };
        var data = new Option<DirectoryInfo>("--data")
        {
            Description = "Real dataset folder (the project's own evaluation)",
        };
        var judges = new Option<bool>("--judges")
        {
            Description = "Outside judges: 3 seeds × 3 classifier architectures, trained on fresh drawings of unused "
                          + "seeds; per class and condition the mean and the minimum over the judges",
        };
        var upscaler = new Option<DirectoryInfo?>("--upscaler")
        {
            Description = "With --judges: also judge this upscaler's output of the generator (e.g. "
                          + "models/upscalers/x4), reduced back to the judges' size",
        };
        var epochs = new Option<int>("--epochs")
        {
            Description = "Classifier training epochs", DefaultValueFactory = _ => 8,
        };
        var seed = new Option<ulong>("--seed")
        {
            Description = "Seed of the split, classifiers and latents (with --data)", DefaultValueFactory = _ => 7,
        };
        var threads = new Option<int>("--threads")
        {
            Description = "Compute threads (0 = all cores)", DefaultValueFactory = _ => 0,
        };
        var command = new Command("eval", "Evaluate a model version: GAN-test, CAS, classifier-feature Fréchet "
                                          + "distance, mode collapse (--data); outside judges (--judges)")
        {
            model, data, judges, upscaler, epochs, seed, threads,
        };
        command.SetAction((parse, ct) => DatasetCommand.Guarded("eval", () =>
        {
            var dir = parse.GetValue(model)!.FullName;
            if (parse.GetValue(data) is null && !parse.GetValue(judges))
                throw new ArgumentException(
                    "Give --data (the evaluation against a dataset), --judges (outside judges), or both.");
            var engine = new NeuralEngine(new NeuralOptions { Threads = parse.GetValue(threads) });
            if (parse.GetValue(data) is { } real)
            {
                var options = new EvaluationOptions
                {
                    ClassifierEpochs = parse.GetValue(epochs), Seed = parse.GetValue(seed),
                };
                Evaluate(dir, real.FullName, engine, options, ct);
            }

            if (parse.GetValue(judges))
                Judge(dir, engine, new JudgeOptions { Epochs = parse.GetValue(epochs) },
                    parse.GetValue(upscaler)?.FullName, ct);
        }));
        return command;
    }

    private static void Evaluate(string dir, string data, NeuralEngine engine, EvaluationOptions options,
        CancellationToken ct)
    {
        var report = BlueprintEvaluation.Run(dir, data, engine, options, new Reporter(), ct);
        ModelMetricsFile.SetSection(dir, "evaluation", report);
        Console.WriteLine($"real accuracy {report.RealAccuracy:P1}; GAN-test {report.ConditionalAccuracy:P1}; "
                          + $"CAS {report.CasAccuracy:P1} ({report.CasRelative:P0} of real)");
        Console.WriteLine($"Fréchet (classifier features, not Inception FID) {report.Frechet:F3} vs real-vs-real "
                          + $"{report.FrechetBaseline:F3} (×{report.FrechetRatio:F2}); "
                          + $"min variance ratio {report.VarianceRatioMin:F2}");
        foreach (var (part, m) in report.PerClass)
            Console.WriteLine($"  {part,-14} GAN-test {m.ConditionalAccuracy,6:P1}  CAS {m.CasAccuracy,6:P1}  "
                              + $"FD {m.Frechet,8:F3} / {m.FrechetBaseline,8:F3}  var ratio {m.VarianceRatio:F2}");
        Console.WriteLine($"within-condition diversity (generated / real, {report.PerCondition.Count} conditions): "
                          + $"features min {report.WithinConditionDiversityMin:G3}, "
                          + $"median {report.WithinConditionDiversityMedian:G3}; "
                          + $"pixels min {report.WithinConditionPixelDiversityMin:G3}, "
                          + $"median {report.WithinConditionPixelDiversityMedian:G3}");
        var lowest = report.PerCondition.MinBy(c => c.Value.FeatureRatio);
        Console.WriteLine($"  lowest: {lowest.Key} ({lowest.Value.Count} images) "
                          + $"features {lowest.Value.FeatureRatio:G3}, pixels {lowest.Value.PixelRatio:G3}");
        Console.WriteLine("targets: " + string.Join(", ",
            report.Targets.Select(t => $"{t.Key} {(t.Value ? "met" : "NOT met")}")));
    }

    private static void Judge(string dir, NeuralEngine engine, JudgeOptions options, string? upscaler,
        CancellationToken ct)
    {
        var manifest = CganManifest.Load(Path.Combine(dir, "manifest.json"));
        var generator = Generator.Create(manifest, engine);
        generator.LoadWeights(Path.Combine(dir, CganTrainingRun.WeightsFile));
        var raw = OutsideJudges.Run(OutsideJudges.RawOutput(generator), manifest.ImageSize, engine, options,
            new Reporter(), ct);
        ModelMetricsFile.SetSection(dir, "judges", raw);
        Print("raw output", raw);
        if (upscaler is null)
            return;
        var upscaled = OutsideJudges.Run(OutsideJudges.UpscaledOutput(generator, LineUpscaler.Load(engine, upscaler)),
            manifest.ImageSize, engine, options, new Reporter(), ct);
        ModelMetricsFile.SetSection(dir, "judgesUpscaled", upscaled with { Source = Path.GetFileName(upscaler) });
        Print($"upscaled by {Path.GetFileName(upscaler)}, reduced back to {manifest.ImageSize} px", upscaled);
    }

    private static void Print(string what, JudgeReport report)
    {
        Console.WriteLine($"outside judges of the {what} ({report.Judges.Count}; drawings of seeds "
                          + $"{report.Seeds.TrainingDrawings}/{report.Seeds.CheckDrawings}, "
                          + $"latents of seed {report.Seeds.Latents}):");
        foreach (var judge in report.Judges)
            Console.WriteLine($"  {judge.Architecture,-8} seed {judge.Seed,-4} "
                              + $"real drawings {judge.RealAccuracy,6:P1}  generated {judge.ConditionalAccuracy,6:P1}");
        var all = report.ConditionalAccuracy;
        Console.WriteLine($"GAN-test over the judges: mean {all.Mean:P1}, min {all.Min:P1}, max {all.Max:P1}");
        foreach (var (part, spread) in report.PerClass)
            Console.WriteLine($"  {part,-14} mean {spread.Mean,6:P1}  min {spread.Min,6:P1}  max {spread.Max,6:P1}");
        var worst = report.PerCondition[report.WorstCondition];
        Console.WriteLine($"worst class: {report.WorstClass} (min {report.PerClass[report.WorstClass].Min:P1}); "
                          + $"worst condition: {report.WorstCondition} (mean {worst.Mean:P1}, min {worst.Min:P1})");
    }

    private sealed class Reporter : IProgress<string>
    {
        public void Report(string value) => Console.Error.WriteLine($"eval: {value}");
    }
}
