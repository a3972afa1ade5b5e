using Aigc.Generation.Inference;
using System.Diagnostics;
using Aigc.Generation;
using Aigc.Generation.Manifest;
using Aigc.Imaging;
using Aigc.Imaging.Metadata;
using Aigc.Imaging.Pipeline;
using Aigc.Neural;
using Aigc.Platform.Models;
using Aigc.Platform.Queue;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Aigc.LoadTest;

/// <summary>
/// The two stages of the service measured alone in this process, on the same model and preset the portal serves:
/// the generator on the engine (no queue) at batch 64 on all cores, and at batch 1 on one thread (what the service
/// runs: decisions 0006 and 0009), and
/// the default post-processing preset with as many images at once as there are cores, and both stages sharing the
/// cores the way the worker runs them, with nothing else.
/// </summary>
public sealed class StageBenchmark : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly Generator _generator;
    private readonly Generator _served;
    private readonly PostProcessingPipeline _pipeline;
    private readonly List<GenerationItem> _items;

    public StageBenchmark(string modelFolder)
    {
        // The shipped learned upscalers, as the portal's default preset uses them (models/blueprints/vN → models/upscalers).
        var upscalers = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(modelFolder)))!, "upscalers");
        _services = new ServiceCollection().AddLogging()
            .AddSingleton<ILineUpscaler>(new ShippedUpscalers(upscalers, BlasProvider.Auto))
            .AddNeural(new ConfigurationBuilder().Build())
            .AddImaging(new ConfigurationBuilder().Build())
            .BuildServiceProvider();
        var manifest = CganManifest.Load(Path.Combine(modelFolder, ModelFiles.ManifestFileName));
        var weights = Path.Combine(modelFolder, ModelFiles.WeightsFileName);
        _generator = ModelValidation.LoadAndCheckAsync(manifest, weights, new CpuInferenceDevice(_services.GetRequiredService<NeuralEngine>(), TimeProvider.System)).GetAwaiter().GetResult();
        _served = ModelValidation.LoadAndCheckAsync(manifest, weights,
            new CpuInferenceDevice(new NeuralEngine(new NeuralOptions { Threads = new QueueOptions().EngineThreads }), TimeProvider.System)).GetAwaiter().GetResult();
        _served.MaxBatch = 1;
        _pipeline = new PostProcessingPipeline(_services.GetRequiredService<PipelinePresetCatalog>(), new ImagingOptions().Limits, Environment.ProcessorCount);
        var random = new Random(7);
        var schema = manifest.Schema;
        _items = Enumerable.Range(0, 64).Select(i => new GenerationItem(
            ConditionValuesFor(schema, random), (ulong)random.NextInt64(0, 1L << 40))).ToList();
    }

    public int Cores => Environment.ProcessorCount;

    /// <summary>The generator alone on all cores, in passes of 64 images.</summary>
    public StageRate Generator64(TimeSpan duration)
    {
        _generator.MaxBatch = 64;
        Repeat(TimeSpan.FromSeconds(1), () => _generator.Generate(_items), _items.Count);
        return Repeat(duration, () => _generator.Generate(_items), _items.Count);
    }

    /// <summary>The generator as the service runs it: one image per pass, on the worker's engine threads.</summary>
    public StageRate GeneratorAsServed(TimeSpan duration)
    {
        Repeat(TimeSpan.FromSeconds(1), () => _served.Generate(_items), _items.Count);
        return Repeat(duration, () => _served.Generate(_items), _items.Count);
    }

    /// <summary>The default preset (upscale to 256, sharpen, PNG with metadata), as many images at once as there are cores.</summary>
    public StageRate Pipeline(TimeSpan duration)
    {
        var jobs = Sources(_generator.Generate(_items));
        void RunAll() => _pipeline.RunManyAsync(PipelinePresetCatalog.DefaultPresetName, jobs).GetAwaiter().GetResult();
        Repeat(TimeSpan.FromSeconds(1), RunAll, jobs.Count);
        return Repeat(duration, RunAll, jobs.Count);
    }

    /// <summary>
    /// Both stages as the worker runs them, and nothing else: batches of the service's size generated one image per
    /// pass while the previous batch is post-processed, no queue, database, blob store or HTTP. On a machine where the
    /// stages share the cores this, not the slower stage alone, is the most any service could reach.
    /// </summary>
    public StageRate Together(TimeSpan duration)
    {
        var batch = _items.Take(new QueueOptions().BatchSize).ToList();
        RepeatTogether(TimeSpan.FromSeconds(1), batch);
        return RepeatTogether(duration, batch);
    }

    public void Dispose()
    {
        _pipeline.Dispose();
        _services.Dispose();
    }

    private StageRate RepeatTogether(TimeSpan duration, List<GenerationItem> batch) => Measure(clock =>
    {
        var images = 0;
        Task postProcessing = Task.CompletedTask;
        do
        {
            var generated = _served.Generate(batch);
            postProcessing.GetAwaiter().GetResult();
            postProcessing = _pipeline.RunManyAsync(PipelinePresetCatalog.DefaultPresetName, Sources(generated));
            images += batch.Count;
        }
        while (clock.Elapsed < duration);
        postProcessing.GetAwaiter().GetResult();
        return images;
    });

    private List<(PipelineSource, BlueprintMetadata?)> Sources(IReadOnlyList<float[]> generated)
    {
        var manifest = _generator.Manifest;
        return generated.Select((chw, i) => (
            PipelineSource.FromTensor(chw, manifest.Channels, manifest.ImageSize, manifest.ImageSize),
            (BlueprintMetadata?)new BlueprintMetadata(manifest.Name, "v1", new string('0', 64), new Dictionary<string, string> { ["part"] = "spur_gear" },
                i, PipelinePresetCatalog.DefaultPresetName, "load-test", DateTimeOffset.UtcNow))).ToList();
    }

    /// <summary>Runs the work (<paramref name="images"/> images each time) until the duration has passed.</summary>
    private static StageRate Repeat(TimeSpan duration, Action work, int images) => Measure(clock =>
    {
        var runs = 0;
        do
        {
            work();
            runs++;
        }
        while (clock.Elapsed < duration);
        return runs * images;
    });

    /// <summary>The rate and CPU cost of a run that watches the clock it is given and returns the images it made.</summary>
    private static StageRate Measure(Func<Stopwatch, int> run)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var images = run(clock);
        var elapsed = clock.Elapsed;
        process.Refresh();
        return new StageRate(images / elapsed.TotalSeconds, (process.TotalProcessorTime - cpu).TotalMilliseconds / images);
    }

    /// <summary>A random value of each categorical condition; numeric ones at the middle of their range.</summary>
    private static ConditionValues ConditionValuesFor(ConditionSchema schema, Random random)
    {
        var values = ModelValidation.SmokeConditions(schema);
        foreach (var c in schema.Categorical)
            values.Set(c.Name, c.Values![random.Next(c.Values.Count)]);
        return values;
    }
}

/// <summary>A throughput and the CPU time it cost per image (all threads of the process): the second survives a busy machine better.</summary>
public sealed record StageRate(double ImagesPerSecond, double CpuMillisecondsPerImage)
{
    public static StageRate Mean(StageRate a, StageRate b) =>
        new((a.ImagesPerSecond + b.ImagesPerSecond) / 2, (a.CpuMillisecondsPerImage + b.CpuMillisecondsPerImage) / 2);

    public override string ToString() => $"{ImagesPerSecond:0} images/s ({CpuMillisecondsPerImage:0.00} CPU ms/image)";
}
