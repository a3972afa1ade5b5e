using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Aigc.Generation;
using Aigc.Generation.Inference;
using Aigc.Generation.Manifest;
using Aigc.Generation.Networks;
using Aigc.Generation.Training;
using Aigc.Neural;
using Aigc.Neural.Gemm;
using Aigc.Neural.Training;

// Our side of the benchmark (tools/bench/run.py runs it interleaved with bench_torch.py and prints ratios).
// Prints one JSON object: medians in milliseconds, GFLOP/s, the OpenBLAS sgemm ceiling on the generator's own
// GEMM shapes, allocation per steady-state step and peak RSS.
var arguments = args.Select((a, i) => (a, i)).Where(p => p.a.StartsWith("--", StringComparison.Ordinal))
    .ToDictionary(p => p.a[2..], p => p.i + 1 < args.Length ? args[p.i + 1] : "");
var threads = int.Parse(arguments.GetValueOrDefault("threads", "1"), CultureInfo.InvariantCulture);
var blas = Enum.Parse<BlasProvider>(arguments.GetValueOrDefault("blas", "OpenBlas"), ignoreCase: true);
var reps = int.Parse(arguments.GetValueOrDefault("reps", "10"), CultureInfo.InvariantCulture);
var only = arguments.GetValueOrDefault("only", "all");
var manifestPath = arguments.GetValueOrDefault("manifest", Path.Combine(AppContext.BaseDirectory, "manifest.json"));

var manifest = CganManifest.Load(manifestPath);
var engine = new NeuralEngine(new NeuralOptions { BlasProvider = blas, Threads = threads });
var result = new Dictionary<string, object> { ["threads"] = threads, ["blas"] = engine.Gemm.Name };

if (only == "upscale")
{
    // Issue 26's upscaler proof: --versions models/upscalers/x4,models/upscalers/x8 [--count 500] [--sheet file.png]
    // [--seed N: other drawings than the held-out seed, to choose between runs] [--rounds 0: quality only]
    // [--ablate: also the blur alone and the noise alone, to see which costs the F1].
    var drawingSeed = ulong.Parse(arguments.GetValueOrDefault("seed", "269999"), CultureInfo.InvariantCulture);
    var upscale = Aigc.Bench.UpscalerBench.Run(engine, arguments.GetValueOrDefault("versions", ""),
        int.Parse(arguments.GetValueOrDefault("count", "500"), CultureInfo.InvariantCulture),
        int.Parse(arguments.GetValueOrDefault("rounds", "5"), CultureInfo.InvariantCulture),
        arguments.GetValueOrDefault("sheet"), drawingSeed, arguments.ContainsKey("ablate"));
    foreach (var (k, v) in upscale)
        result[k] = v;
    Console.WriteLine(JsonSerializer.Serialize(result));
    return;
}

if (only == "onnx")
{
    // Our engine against ONNX Runtime's CPU provider on the shipped generators (decision 0017), both through their
    // inference device as the service calls it, same thread count, alternated round by round.
    var models = arguments.GetValueOrDefault("models", FindShippedModels());
    var rounds = int.Parse(arguments.GetValueOrDefault("rounds", "5"), CultureInfo.InvariantCulture);
    using var onnx = new OnnxInferenceDevice(engine, threads, TimeProvider.System);
    var cpu = new CpuInferenceDevice(engine, TimeProvider.System);
    result["onnx"] = onnx.Name;
    foreach (var version in new[] { "v1", "v2" })
    {
        var folder = Path.Combine(models, version);
        var shipped = CganManifest.Load(Path.Combine(folder, "manifest.json"));
        var ours = cpu.CreateGenerator(shipped);
        var theirs = onnx.CreateGenerator(shipped);
        ours.LoadWeights(Path.Combine(folder, "generator.safetensors"));
        theirs.LoadWeights(Path.Combine(folder, "generator.safetensors"));
        var items = Enumerable.Range(0, 64)
            .Select(i => new GenerationItem(ConditionsOf(shipped.Schema, i), 1, i)).ToList();
        // b1: one image; b64: one pass of 64; b64x1: 64 images one per pass, as the service runs them (decision 0006).
        foreach (var (name, count, maxBatch) in new[] { ("b1", 1, 1), ("b64", 64, 64), ("b64x1", 64, 1) })
        {
            ours.MaxBatch = theirs.MaxBatch = maxBatch;
            var batch = items.Take(count).ToList();
            var oursTimes = new List<double>();
            var theirTimes = new List<double>();
            var inner = count == 1 ? 20 : 1;
            for (var round = 0; round < rounds; round++)
            {
                oursTimes.Add(Median(reps, inner, () => cpu.GenerateAsync(ours, batch).GetAwaiter().GetResult()));
                theirTimes.Add(Median(reps, inner, () => onnx.GenerateAsync(theirs, batch).GetAwaiter().GetResult()));
            }

            var (a, b) = (oursTimes.Order().ElementAt(rounds / 2), theirTimes.Order().ElementAt(rounds / 2));
            result[$"{version}_{name}_ours_ms"] = a;
            result[$"{version}_{name}_onnx_ms"] = b;
            result[$"{version}_{name}_ours_range_ms"] = $"{oursTimes.Min():F3}-{oursTimes.Max():F3}";
            result[$"{version}_{name}_onnx_range_ms"] = $"{theirTimes.Min():F3}-{theirTimes.Max():F3}";
            result[$"{version}_{name}_ours_over_onnx"] = a / b;
        }

        // Whether ONNX Runtime would keep an image's bits in a batch of 64 (then the service could batch on it).
        theirs.MaxBatch = 64;
        var together = onnx.GenerateAsync(theirs, items).GetAwaiter().GetResult();
        theirs.MaxBatch = 1;
        var alone = onnx.GenerateAsync(theirs, items).GetAwaiter().GetResult();
        result[$"{version}_onnx_b64_images_bitwise_as_alone"] =
            together.Zip(alone).Count(p => p.First.AsSpan().SequenceEqual(p.Second));
    }

    Console.WriteLine(JsonSerializer.Serialize(result));
    return;
}

if (only == "memory")
{
    // Peak memory of batch-64 inference alone, in a fresh process.
    var g = NewGenerator(manifest, engine);
    var (z, c) = Inputs(manifest, 64);
    for (var i = 0; i < 3; i++)
        g.Forward(z, c);
    result["peak_rss_mb"] = PeakRssMb();
    Console.WriteLine(JsonSerializer.Serialize(result));
    return;
}

if (only == "layers")
{
    // Per-layer medians inside whole forward passes at --batch (default 64), to see where the time goes.
    var g = NewGenerator(manifest, engine);
    var (z, c) = Inputs(manifest, int.Parse(arguments.GetValueOrDefault("batch", "64"), CultureInfo.InvariantCulture));
    var layers = g.Net.Layers;
    var times = layers.Select(_ => new List<double>()).ToArray();
    var whole = new List<double>();
    for (var r = 0; r < reps + 3; r++)
    {
        var total = Stopwatch.StartNew();
        g.Forward(z, c);
        whole.Add(total.Elapsed.TotalMilliseconds);
        var current = new Tensor(z.Dim(0), g.InputChannels, 1, 1);
        new RandomSource(5).FillNormal(current, 0, 1);
        for (var i = 0; i < layers.Count; i++)
        {
            var sw = Stopwatch.StartNew();
            current = layers[i].Forward(current);
            times[i].Add(sw.Elapsed.TotalMilliseconds);
        }
    }

    result["whole"] = whole.Order().ElementAt(whole.Count / 2);
    for (var i = 0; i < layers.Count; i++)
        result[$"{i}:{layers[i].GetType().Name}"] = times[i].Order().ElementAt(times[i].Count / 2);
    Console.WriteLine(JsonSerializer.Serialize(result));
    return;
}

if (only == "prepare")
{
    // Inference with and without ConvTranspose2d.PrepareInference (the service prepares), alternated in rounds.
    var plain = NewGenerator(manifest, engine, prepared: false);
    var prepared = NewGenerator(manifest, engine);
    foreach (var batch in new[] { 1, 16, 64 })
    {
        var (z, c) = Inputs(manifest, batch);
        var inner = batch == 1 ? 20 : 1;
        var plainTimes = new List<double>();
        var preparedTimes = new List<double>();
        for (var round = 0; round < 5; round++)
        {
            plainTimes.Add(Median(reps, inner, () => plain.Forward(z, c)));
            preparedTimes.Add(Median(reps, inner, () => prepared.Forward(z, c)));
        }

        var (a, b) = (plainTimes.Order().ElementAt(2), preparedTimes.Order().ElementAt(2));
        result[$"g_b{batch}_unprepared_ms"] = a;
        result[$"g_b{batch}_prepared_ms"] = b;
        result[$"g_b{batch}_unprepared_over_prepared"] = a / b;
    }

    Console.WriteLine(JsonSerializer.Serialize(result));
    return;
}

if (only == "train-phases")
{
    // Medians of each phase of a batch-64 training step.
    var g = new GeneratorNetwork(manifest, engine.CreateBackend(), new RandomSource(1));
    var d = new DiscriminatorNetwork(manifest, engine.CreateBackend(), new RandomSource(2));
    var (z, c) = Inputs(manifest, 64);
    var real = new Tensor(64, manifest.Channels, manifest.ImageSize, manifest.ImageSize);
    var grad = new Tensor(64, 1);
    grad.Fill(1f / 64);
    var optG = new Adam(g.Parameters());
    var optD = new Adam(d.Parameters());
    var phases = new Dictionary<string, Action>
    {
        ["g_forward_train"] = () => g.Forward(z, c),
        ["d_forward"] = () => d.Forward(real, c),
        ["d_backward"] = () => d.Backward(grad),
        ["g_backward"] = () => g.Backward(real),
        ["adam_g"] = () => optG.Step(),
        ["adam_d"] = () => optD.Step(),
    };
    foreach (var (name, action) in phases)
        result[name] = Median(reps, 1, action);
    Console.WriteLine(JsonSerializer.Serialize(result));
    return;
}

if (only == "gemm")
{
    // Each GEMM provider on the generator's batch-64 shapes, GFLOP/s.
    foreach (var gemm in new IGemm[] { new OpenBlasGemm(threads), new ManagedGemm(threads) })
        foreach (var (m, n, k) in GeneratorGemms(manifest, int.Parse(arguments.GetValueOrDefault("batch", "64"), CultureInfo.InvariantCulture)))
        {
            var a = new float[m * k];
            var b = new float[k * n];
            var cc = new float[m * n];
            var ms = Median(reps, 1, () => gemm.Sgemm(true, false, m, n, k, 1f, a, m, b, n, 0f, cc, n));
            result[$"{gemm.Name} {m}x{n}x{k} ms"] = ms;
            ms = Median(reps, 1, () => gemm.Sgemm(false, false, n, m, k, 1f, b, k, a, m, 0f, cc, m));
            result[$"{gemm.Name} {m}x{n}x{k} swapped ms"] = ms;
        }

    Console.WriteLine(JsonSerializer.Serialize(result));
    return;
}

var generator = NewGenerator(manifest, engine);
foreach (var batch in new[] { 1, 16, 64 })
{
    var (z, c) = Inputs(manifest, batch);
    var ms = Median(reps, batch == 1 ? 5 : 1, () => generator.Forward(z, c));
    result[$"g_b{batch}_ms"] = ms;
    if (batch == 64)
    {
        result["g_b64_gflops"] = GeneratorFlops(manifest, 64) / (ms * 1e6);
        var before = GC.GetTotalAllocatedBytes(true);
        for (var i = 0; i < 5; i++)
            generator.Forward(z, c);
        result["g_b64_alloc_bytes_per_step"] = (GC.GetTotalAllocatedBytes(true) - before) / 5;
    }
}

result["sgemm_ceiling_gflops"] = SgemmCeiling(manifest, threads);

var trainer = new CganTrainer(manifest, engine, new CganTrainingSettings(), seed: 1);
{
    var (z, c) = Inputs(manifest, 64);
    var real = new Tensor(64, manifest.Channels, manifest.ImageSize, manifest.ImageSize);
    new RandomSource(3).FillUniform(real, -1, 1);
    ulong step = 0;
    result["train_b64_ms"] = Median(Math.Max(3, reps / 2), 1, () => trainer.Step(real, c, step++));
    var before = GC.GetTotalAllocatedBytes(true);
    for (var i = 0; i < 3; i++)
        trainer.Step(real, c, step++);
    result["train_b64_alloc_bytes_per_step"] = (GC.GetTotalAllocatedBytes(true) - before) / 3;
}

Console.WriteLine(JsonSerializer.Serialize(result));

// As the service runs it: eval mode, weights prepared for inference.
static GeneratorNetwork NewGenerator(CganManifest manifest, NeuralEngine engine, bool prepared = true)
{
    var g = new GeneratorNetwork(manifest, engine.CreateBackend(), new RandomSource(1));
    g.Eval();
    if (prepared)
        g.PrepareInference();
    return g;
}

static (Tensor Z, ConditionBatch Conditions) Inputs(CganManifest manifest, int n)
{
    var z = new Tensor(n, manifest.LatentDim);
    for (var i = 0; i < n; i++)
        Aigc.Generation.LatentSampler.Fill(1, i, z.Span.Slice(i * manifest.LatentDim, manifest.LatentDim));
    var c = new ConditionBatch(manifest.Schema, n);
    for (var k = 0; k < manifest.Schema.Categorical.Count; k++)
        for (var i = 0; i < n; i++)
            c.SetIndex(k, i, i % manifest.Schema.Categorical[k].Values!.Count);
    for (var k = 0; k < manifest.Schema.Numeric.Count; k++)
        for (var i = 0; i < n; i++)
            c.SetNumeric(k, i, manifest.Schema.Numeric[k].Min!.Value);
    return (z, c);
}

static double Median(int reps, int inner, Action action)
{
    // Warm up for at least a second so that tiered compilation has promoted the hot loops before timing.
    var warm = Stopwatch.StartNew();
    for (var i = 0; i < 3 || warm.ElapsedMilliseconds < 1000; i++)
        action();
    var times = new double[reps];
    for (var r = 0; r < reps; r++)
    {
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < inner; i++)
            action();
        times[r] = sw.Elapsed.TotalMilliseconds / inner;
    }

    Array.Sort(times);
    return times[reps / 2];
}

// The generator's convolutions as GEMMs with the batch folded into N: (M = Cout·k·k, N = batch·H·W, K = Cin).
static List<(int M, int N, int K)> GeneratorGemms(CganManifest manifest, int batch)
{
    var list = new List<(int, int, int)>();
    int c = manifest.LatentDim + manifest.Schema.EmbeddingWidth + manifest.Schema.Numeric.Count, h = 1;
    foreach (var l in manifest.Generator.Layers.Where(l => l.Type == "convTranspose2d"))
    {
        list.Add((l.Out!.Value * l.Kernel * l.Kernel, batch * h * h, c));
        h = (h - 1) * l.Stride - 2 * l.Padding + l.Kernel + l.OutputPadding;
        c = l.Out.Value;
    }

    return list;
}

static double GeneratorFlops(CganManifest manifest, int batch) =>
    GeneratorGemms(manifest, batch).Sum(s => 2.0 * s.M * s.N * s.K);

// The best of OpenBLAS's own threading and our static split, on exactly the generator's GEMMs at batch 64.
static double SgemmCeiling(CganManifest manifest, int threads)
{
    var shapes = GeneratorGemms(manifest, 64);
    var buffers = shapes.Select(s => (A: new float[s.K * s.M], B: new float[s.K * s.N], C: new float[s.M * s.N])).ToArray();
    double Run(IGemm gemm) => Median(7, 1, () =>
    {
        for (var i = 0; i < shapes.Count; i++)
        {
            var (m, n, k) = shapes[i];
            gemm.Sgemm(true, false, m, n, k, 1f, buffers[i].A, m, buffers[i].B, n, 0f, buffers[i].C, n);
        }
    });
    var best = Run(new OpenBlasGemm(threads));
    OpenBlasGemm.WithNativeThreads(threads, gemm => best = Math.Min(best, Run(gemm)));
    return GeneratorFlops(manifest, 64) / (best * 1e6);
}

// Item i takes value i mod count of each categorical condition.
static ConditionValues ConditionsOf(ConditionSchema schema, int i)
{
    var values = new ConditionValues();
    foreach (var c in schema.Categorical)
        values.Set(c.Name, c.Values![i % c.Values.Count]);
    return values;
}

static string FindShippedModels()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        if (File.Exists(Path.Combine(dir.FullName, "models", "blueprints", "v1", "manifest.json")))
            return Path.Combine(dir.FullName, "models", "blueprints");
    throw new DirectoryNotFoundException($"No models/blueprints above {AppContext.BaseDirectory}: pass --models.");
}

static double PeakRssMb()
{
    foreach (var line in File.ReadLines("/proc/self/status"))
        if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    return double.NaN;
}
