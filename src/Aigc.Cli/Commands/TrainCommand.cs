using System.CommandLine;
using System.Runtime.InteropServices;
using Aigc.Generation.Training;
using Aigc.Generation.Upscaling;
using Aigc.Neural;

namespace Aigc.Cli.Commands;

/// <summary>
/// <c>aigc train</c>: trains a blueprint CGAN, or (a manifest with "kind": "upscaler") a line-art upscaler on synthetic
/// pairs, from a manifest into a model version folder.
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<DirectoryInfo>("--data") { Description = "Dataset folder (aigc dataset synth/import); local runs" };
        var manifest = new Option<FileInfo>("--manifest") { Description = "Model manifest, e.g. models/blueprints/manifest.json; local runs" };
        var output = new Option<DirectoryInfo>("--out") { Description = "Model version folder, e.g. models/blueprints/v1; local runs" };
        var steps = new Option<int>("--steps") { Description = "Total training steps (one D and one G update each)", DefaultValueFactory = _ => 10_000 };
        var batch = new Option<int>("--batch")
        {
            Description = "Images per step (an upscaler: 16 unless given, as its shipped versions were trained)",
            DefaultValueFactory = _ => 64,
        };
        var seed = new Option<ulong>("--seed") { Description = "Seed of initialisation, batches and latents", DefaultValueFactory = _ => 1 };
        var loss = new Option<GanLoss>("--loss") { Description = "hinge or bce", DefaultValueFactory = _ => GanLoss.Hinge };
        var lrG = new Option<float>("--lr-g") { Description = "Generator learning rate", DefaultValueFactory = _ => 2e-4f };
        var lrD = new Option<float>("--lr-d") { Description = "Discriminator learning rate", DefaultValueFactory = _ => 2e-4f };
        var beta1 = new Option<float>("--beta1") { Description = "Adam beta1", DefaultValueFactory = _ => 0.5f };
        var beta2 = new Option<float>("--beta2") { Description = "Adam beta2", DefaultValueFactory = _ => 0.999f };
        var ema = new Option<float>("--ema") { Description = "EMA decay of the generator's weights (0 disables)", DefaultValueFactory = _ => 0.999f };
        var diversity = new Option<float>("--diversity") { Description = "Weight of the diversity-sensitive term for the generator (0 disables)", DefaultValueFactory = _ => 0f };
        var diversityCap = new Option<float>("--diversity-cap") { Description = "Image/latent distance ratio beyond which the diversity term stops rewarding", DefaultValueFactory = _ => 0.25f };
        var sampleEvery = new Option<int>("--sample-every") { Description = "Write samples/step-N.png every N steps (0: only at the end)", DefaultValueFactory = _ => 500 };
        var checkpointEvery = new Option<int>("--checkpoint-every") { Description = "Checkpoint every N steps", DefaultValueFactory = _ => 250 };
        var resume = new Option<bool>("--resume") { Description = "Continue from --out/checkpoint.safetensors" };
        var threads = new Option<int>("--threads") { Description = "Compute threads (0 = all cores)", DefaultValueFactory = _ => 0 };
        var blas = new Option<BlasProvider>("--blas") { Description = "auto, openblas or managed", DefaultValueFactory = _ => BlasProvider.Auto };
        var crop = new Option<int>("--crop") { Description = "Upscaler: side of the low-resolution training crops", DefaultValueFactory = _ => 24 };
        var lr = new Option<float>("--lr") { Description = "Upscaler: Adam learning rate (cosine decay)", DefaultValueFactory = _ => 2e-3f };
        var dataSeed = new Option<ulong>("--data-seed") { Description = "Upscaler: seed of the synthetic training drawings", DefaultValueFactory = _ => 26_0001 };
        var drawings = new Option<int>("--drawings") { Description = "Upscaler: synthetic drawings rendered for training", DefaultValueFactory = _ => 1600 };
        var heldOut = new Option<int>("--held-out") { Description = "Upscaler: held-out drawings measured at the end", DefaultValueFactory = _ => 200 };
        var submit = new TrainSubmission();
        var command = new Command("train", "Train a conditional GAN on a blueprint dataset, here or (--submit) on an installation's workers, or a line-art upscaler (manifest kind \"upscaler\")")
        {
            data, manifest, output, steps, batch, seed, loss, lrG, lrD, beta1, beta2, ema, diversity, diversityCap, sampleEvery, checkpointEvery, resume, threads, blas,
            crop, lr, dataSeed, drawings, heldOut,
        };
        submit.AddTo(command);
        command.SetAction(async (parse, ct) => parse.GetValue(submit.Submit)
            ? await submit.RunAsync(parse, steps, batch, seed, lrG, lrD, sampleEvery, checkpointEvery, ct)
            : await DatasetCommand.Guarded("train", int () =>
        {
            if (parse.GetValue(manifest) is null || parse.GetValue(output) is null)
                throw new ArgumentException("--manifest and --out are required to train here (or --submit to queue a run on an installation).");
            var engine = new NeuralEngine(new NeuralOptions { Threads = parse.GetValue(threads), BlasProvider = parse.GetValue(blas) });
            if (UpscalerManifest.IsUpscaler(parse.GetValue(manifest)!.FullName))
            {
                var upscalerRun = new UpscalerTrainingRun(new UpscalerTrainingOptions
                {
                    ManifestPath = parse.GetValue(manifest)!.FullName,
                    OutputDirectory = parse.GetValue(output)!.FullName,
                    Steps = parse.GetValue(steps),
                    // 64 is a generator's batch; an upscaler's shipped versions took 16 crops per step.
                    BatchSize = parse.GetResult(batch) is { Implicit: false }
                        ? parse.GetValue(batch)
                        : UpscalerTrainingOptions.DefaultBatchSize,
                    CropSize = parse.GetValue(crop),
                    LearningRate = parse.GetValue(lr),
                    Seed = parse.GetValue(seed),
                    DataSeed = parse.GetValue(dataSeed),
                    Drawings = parse.GetValue(drawings),
                    HeldOut = parse.GetValue(heldOut),
                }, engine);
                return TrainUpscaler(upscalerRun, ct);
            }

            if (parse.GetValue(data) is null)
                throw new ArgumentException("--data is required to train a generator here (or --submit to queue a run on an installation).");
            var emaDecay = parse.GetValue(ema);
            var run = new CganTrainingRun(new TrainingRunOptions
            {
                DataDirectory = parse.GetValue(data)!.FullName,
                ManifestPath = parse.GetValue(manifest)!.FullName,
                OutputDirectory = parse.GetValue(output)!.FullName,
                Steps = parse.GetValue(steps),
                BatchSize = parse.GetValue(batch),
                Seed = parse.GetValue(seed),
                SampleEvery = parse.GetValue(sampleEvery),
                CheckpointEvery = parse.GetValue(checkpointEvery),
                Resume = parse.GetValue(resume),
                Settings = new CganTrainingSettings
                {
                    Loss = parse.GetValue(loss),
                    GeneratorLearningRate = parse.GetValue(lrG),
                    DiscriminatorLearningRate = parse.GetValue(lrD),
                    Beta1 = parse.GetValue(beta1),
                    Beta2 = parse.GetValue(beta2),
                    EmaDecay = emaDecay > 0 ? emaDecay : null,
                    DiversityWeight = parse.GetValue(diversity),
                    DiversityCap = parse.GetValue(diversityCap),
                },
            }, engine);
            var bar = new ProgressLine("train", parse.GetValue(steps));
            // Ctrl-C and SIGTERM stop the run between steps, after a checkpoint, instead of killing it mid-step.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            var reached = run.Run(new StepProgress(bar), stop.Token);
            if (reached < parse.GetValue(steps))
            {
                Console.WriteLine($"Stopped at step {reached}; checkpoint written. Continue with --resume.");
                return 130;
            }

            Console.WriteLine($"Trained {reached} steps into {parse.GetValue(output)!.FullName} ({bar.Elapsed.TotalMinutes:F1} min).");
            return 0;

            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                Console.Error.WriteLine($"\n{context.Signal}: stopping after the current step...");
                stop.Cancel();
            }
        }));
        return command;
    }

    private static int TrainUpscaler(UpscalerTrainingRun run, CancellationToken ct)
    {
        var bar = new ProgressLine("train", run.Options.Steps);
        var reached = run.Run(new UpscalerProgress(bar), ct);
        if (reached < run.Options.Steps)
        {
            Console.WriteLine($"Stopped at step {reached}; nothing written (upscaler runs are short and not resumable).");
            return 130;
        }

        Console.WriteLine($"Trained {reached} steps into {run.Options.OutputDirectory} ({bar.Elapsed.TotalMinutes:F1} min).");
        return 0;
    }

    private sealed class UpscalerProgress(ProgressLine bar) : IProgress<UpscalerStepReport>
    {
        public void Report(UpscalerStepReport r) => bar.Report(r.Step, $"L1 {r.Loss:F4} {r.ImagesPerSecond:F0} crops/s");
    }

    private sealed class StepProgress(ProgressLine bar) : IProgress<StepReport>
    {
        public void Report(StepReport r) =>
            bar.Report(r.Step - r.StartStep, $"D {r.DiscriminatorLoss:F3} G {r.GeneratorLoss:F3} {r.ImagesPerSecond:F0} img/s", r.StartStep);
    }
}
