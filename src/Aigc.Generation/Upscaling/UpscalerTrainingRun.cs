using System.Diagnostics;
using System.Globalization;
using Aigc.Generation.Datasets;
using Aigc.Neural;
using Aigc.Neural.Training;

namespace Aigc.Generation.Upscaling;

/// <summary>What <see cref="UpscalerTrainingRun"/> trains and where it writes.</summary>
public sealed record UpscalerTrainingOptions
{
    public required string ManifestPath { get; init; }

    public required string OutputDirectory { get; init; }

    public int Steps { get; init; } = 2000;

    /// <summary>Crops per step of the shipped versions (decision 0023).</summary>
    public const int DefaultBatchSize = 16;

    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>Side of the low-resolution crops trained on (the network is fully convolutional).</summary>
    public int CropSize { get; init; } = 24;

    public float LearningRate { get; init; } = 2e-3f;

    public ulong Seed { get; init; } = 1;

    /// <summary>Seed of the synthetic drawings trained on; the benchmark's held-out seed must differ.</summary>
    public ulong DataSeed { get; init; } = 26_0001;

    public int Drawings { get; init; } = 1600;

    /// <summary>Held-out drawings (seed <see cref="UpscalerTrainingRun.HeldOutSeed"/>) measured into the manifest.</summary>
    public int HeldOut { get; init; } = 200;
}

/// <summary>One report per training step.</summary>
public readonly record struct UpscalerStepReport(int Step, double Loss, double ImagesPerSecond);

/// <summary>
/// Trains an upscaler version: clean synthetic renders at both resolutions, the low one degraded afresh for every
/// sample (<see cref="LineDegradation.Training"/>), random crops, L1 loss against the true render, Adam with a cosine
/// learning-rate decay. Writes upscaler.safetensors, manifest.json (training record and held-out metrics) and
/// model-card.md into the output folder. Short runs (minutes), so no checkpoints: a stopped run writes nothing.
/// </summary>
public sealed class UpscalerTrainingRun(UpscalerTrainingOptions options, NeuralEngine engine)
{
    public const string WeightsFile = "upscaler.safetensors";

    /// <summary>Seed of held-out drawings: never a training seed (the trainer refuses it as --data-seed).</summary>
    public const ulong HeldOutSeed = 26_9999;

    public UpscalerTrainingOptions Options { get; } = options;

    /// <summary>Returns the step reached (less than Steps when cancelled, and then nothing was written).</summary>
    public int Run(IProgress<UpscalerStepReport>? progress = null, CancellationToken cancellationToken = default)
    {
        var o = Options;
        if (o.Steps < 1 || o.BatchSize < 1 || o.Drawings < 1 || o.HeldOut < 1 || !(o.LearningRate > 0))
            throw new ArgumentException($"--steps, --batch, --drawings and --held-out must be at least 1 and --lr above 0 " +
                $"(got {o.Steps}, {o.BatchSize}, {o.Drawings}, {o.HeldOut}, {o.LearningRate}).");
        if (o.DataSeed == HeldOutSeed)
            throw new ArgumentException($"--data-seed {HeldOutSeed} is the held-out seed; train on another.");
        var manifest = UpscalerManifest.Load(o.ManifestPath);
        if (o.CropSize < 4 || o.CropSize > manifest.InputSize)
            throw new ArgumentException($"--crop must be between 4 and the input size {manifest.InputSize} (got {o.CropSize}).");
        if (File.Exists(Path.Combine(o.OutputDirectory, "manifest.json")))
            throw new IOException($"{o.OutputDirectory} already holds a version; choose another --out.");

        var pairs = LinePairs.Render(o.DataSeed, o.Drawings, manifest.InputSize, manifest.OutputSize, cancellationToken);
        var network = new UpscalerNetwork(engine.CreateBackend(), manifest);
        var random = new RandomSource(o.Seed);
        network.Initialize(random);
        var adam = new Adam(network.Parameters(), o.LearningRate);
        var (c, r) = (o.CropSize, manifest.Scale);
        var input = new Tensor(o.BatchSize, 1, c, c);
        var target = new Tensor(o.BatchSize, 1, c * r, c * r);
        var grad = new Tensor(o.BatchSize, 1, c * r, c * r);
        var clock = Stopwatch.StartNew();
        double loss = 0;
        var step = 0;
        while (step < o.Steps)
        {
            if (cancellationToken.IsCancellationRequested)
                return step;
            step++;
            FillBatch(pairs, input, target, random);
            adam.Lr = (float)(o.LearningRate * (0.05 + 0.95 * 0.5 * (1 + Math.Cos(Math.PI * (step - 1) / o.Steps))));
            network.ZeroGrad();
            var output = network.Forward(input);
            loss = L1(output, target, grad);
            network.Backward(grad);
            adam.Step();
            progress?.Report(new UpscalerStepReport(step, loss, step * o.BatchSize / clock.Elapsed.TotalSeconds));
        }

        network.Eval();
        var upscaler = new LineUpscaler(engine, network);
        var metrics = Measure(upscaler, o.HeldOut, cancellationToken);
        Write(manifest, network, metrics, loss, clock.Elapsed.TotalSeconds);
        return step;
    }

    /// <summary>Ours on held-out drawings, degraded as the benchmark degrades and clean.</summary>
    public static UpscalerMetrics Measure(LineUpscaler upscaler, int count, CancellationToken cancellationToken = default)
    {
        var m = upscaler.Manifest;
        var pairs = LinePairs.Render(HeldOutSeed, count, m.InputSize, m.OutputSize, cancellationToken);
        var degraded = new byte[count][];
        var random = new RandomSource(HeldOutSeed);
        for (var i = 0; i < count; i++)
            degraded[i] = ToBytes(pairs.DegradedLow(i, LineDegradation.Benchmark, random));
        return new UpscalerMetrics
        {
            HeldOutSeed = HeldOutSeed,
            Drawings = count,
            Degraded = Quality(upscaler.Upscale(degraded, cancellationToken), pairs.High),
            Clean = Quality(upscaler.Upscale(pairs.Low, cancellationToken), pairs.High),
        };
    }

    public static LineQuality Quality(IReadOnlyList<byte[]> images, IReadOnlyList<byte[]> truths)
    {
        double f1 = 0, grey = 0;
        for (var i = 0; i < images.Count; i++)
        {
            f1 += LineQuality.LineF1(images[i], truths[i]);
            grey += LineQuality.InBetweenShare(images[i]);
        }

        return new LineQuality(Math.Round(f1 / images.Count, 4), Math.Round(grey / images.Count, 4));
    }

    public static byte[] ToBytes(ReadOnlySpan<float> unit)
    {
        var bytes = new byte[unit.Length];
        for (var i = 0; i < bytes.Length; i++)
            bytes[i] = (byte)Math.Clamp(MathF.Round(unit[i] * 255f), 0, 255);
        return bytes;
    }

    private void FillBatch(LinePairs pairs, Tensor input, Tensor target, RandomSource random)
    {
        var (c, s, r) = (input.Dim(2), pairs.LowSize, pairs.HighSize / pairs.LowSize);
        var (hc, hs) = (c * r, pairs.HighSize);
        for (var b = 0; b < input.Dim(0); b++)
        {
            var i = (int)(random.NextUInt64() % (ulong)pairs.Count);
            var low = pairs.DegradedLow(i, LineDegradation.Training, random);
            var x0 = (int)(random.NextUInt64() % (ulong)(s - c + 1));
            var y0 = (int)(random.NextUInt64() % (ulong)(s - c + 1));
            for (var y = 0; y < c; y++)
                for (var x = 0; x < c; x++)
                    input[(b * c + y) * c + x] = low[(y0 + y) * s + x0 + x] * 2f - 1f;
            var high = pairs.High[i];
            for (var y = 0; y < hc; y++)
                for (var x = 0; x < hc; x++)
                    target[(b * hc + y) * hc + x] = high[(y0 * r + y) * hs + x0 * r + x] / 127.5f - 1f;
        }
    }

    /// <summary>Mean absolute error; writes its gradient (sign / count).</summary>
    internal static double L1(Tensor output, Tensor target, Tensor gradient)
    {
        double sum = 0;
        var scale = 1f / output.Length;
        for (var i = 0; i < output.Length; i++)
        {
            var d = output[i] - target[i];
            sum += Math.Abs(d);
            gradient[i] = d > 0 ? scale : d < 0 ? -scale : 0;
        }

        return sum / output.Length;
    }

    private void Write(UpscalerManifest manifest, UpscalerNetwork network, UpscalerMetrics metrics, double loss, double seconds)
    {
        var o = Options;
        Directory.CreateDirectory(o.OutputDirectory);
        Neural.Safetensors.StateDictFile.Save(network, Path.Combine(o.OutputDirectory, WeightsFile));
        var trained = manifest with
        {
            Training = new UpscalerTrainingRecord
            {
                DataGenerator = $"{BlueprintSynthesizer.Name} {BlueprintSynthesizer.Version}",
                DataSeed = o.DataSeed,
                Drawings = o.Drawings,
                Degradation = LineDegradation.Training.Describe(),
                Steps = o.Steps,
                BatchSize = o.BatchSize,
                CropSize = o.CropSize,
                LearningRate = o.LearningRate,
                Seed = o.Seed,
                FinalLoss = Math.Round(loss, 5),
                EngineVersion = $"Aigc.Neural {typeof(NeuralEngine).Assembly.GetName().Version} " +
                                $"({engine.Gemm.GetType().Name}, {engine.Threads} threads)",
                TrainingSeconds = Math.Round(seconds, 1),
                Machine = $"{Environment.ProcessorCount} cores, {Environment.OSVersion}",
                FinishedUtc = DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            },
            Metrics = metrics,
        };
        File.WriteAllText(Path.Combine(o.OutputDirectory, "manifest.json"), trained.ToJson());
        File.WriteAllText(Path.Combine(o.OutputDirectory, "model-card.md"), UpscalerModelCard.Markdown(trained));
    }
}
