using System.CommandLine;
using Aigc.Generation.Evaluation;
using Aigc.Generation.Training;
using Aigc.Neural;

namespace Aigc.Cli.Commands;

/// <summary><c>aigc eval</c>: classifier-based metrics of a model version against real data, into its metrics.json.</summary>
public static class EvalCommand
{
    public static Command Create()
    {
        var model = new Option<DirectoryInfo>("--model") { Description = "Model version folder (manifest.json, generator.safetensors)", Required = true };
        var data = new Option<DirectoryInfo>("--data") { Description = "Real dataset folder", Required = true };
        var epochs = new Option<int>("--epochs") { Description = "Classifier training epochs", DefaultValueFactory = _ => 8 };
        var seed = new Option<ulong>("--seed") { Description = "Seed of the split, classifiers and latents", DefaultValueFactory = _ => 7 };
        var threads = new Option<int>("--threads") { Description = "Compute threads (0 = all cores)", DefaultValueFactory = _ => 0 };
        var command = new Command("eval", "Evaluate a model version: GAN-test, CAS, classifier-feature Fréchet distance, mode collapse")
        {
            model, data, epochs, seed, threads,
        };
        command.SetAction((parse, ct) => DatasetCommand.Guarded("eval", () =>
        {
            var dir = parse.GetValue(model)!.FullName;
            var engine = new NeuralEngine(new NeuralOptions { Threads = parse.GetValue(threads) });
            var report = BlueprintEvaluation.Run(dir, parse.GetValue(data)!.FullName, engine,
                new EvaluationOptions { ClassifierEpochs = parse.GetValue(epochs), Seed = parse.GetValue(seed) },
                new Reporter(), ct);
            ModelMetricsFile.SetSection(dir, "evaluation", report);
            Console.WriteLine($"real accuracy {report.RealAccuracy:P1}; GAN-test {report.ConditionalAccuracy:P1}; CAS {report.CasAccuracy:P1} ({report.CasRelative:P0} of real)");
            Console.WriteLine($"Fréchet (classifier features, not Inception FID) {report.Frechet:F3} vs real-vs-real {report.FrechetBaseline:F3} (×{report.FrechetRatio:F2}); min variance ratio {report.VarianceRatioMin:F2}");
            foreach (var (part, m) in report.PerClass)
                Console.WriteLine($"  {part,-14} GAN-test {m.ConditionalAccuracy,6:P1}  CAS {m.CasAccuracy,6:P1}  FD {m.Frechet,8:F3} / {m.FrechetBaseline,8:F3}  var ratio {m.VarianceRatio:F2}");
            Console.WriteLine($"within-condition diversity (generated / real, {report.PerCondition.Count} conditions): features min {report.WithinConditionDiversityMin:G3}, median {report.WithinConditionDiversityMedian:G3}; pixels min {report.WithinConditionPixelDiversityMin:G3}, median {report.WithinConditionPixelDiversityMedian:G3}");
            var lowest = report.PerCondition.MinBy(c => c.Value.FeatureRatio);
            Console.WriteLine($"  lowest: {lowest.Key} ({lowest.Value.Count} images) features {lowest.Value.FeatureRatio:G3}, pixels {lowest.Value.PixelRatio:G3}");
            Console.WriteLine("targets: " + string.Join(", ", report.Targets.Select(t => $"{t.Key} {(t.Value ? "met" : "NOT met")}")));
        }));
        return command;
    }

    private sealed class Reporter : IProgress<string>
    {
        public void Report(string value) => Console.Error.WriteLine($"eval: {value}");
    }
}
