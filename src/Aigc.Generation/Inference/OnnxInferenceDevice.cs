using System.Runtime.CompilerServices;
using Aigc.Generation.Inference.Onnx;
using Aigc.Generation.Manifest;
using Aigc.Neural;
using Microsoft.ML.OnnxRuntime;

namespace Aigc.Generation.Inference;

/// <summary>
/// Generators run on ONNX Runtime (decision 0017): the CPU provider, or CUDA on a GPU host. Weights are loaded and
/// held by our engine, as on the CPU device, and exported to an ONNX session the first time a generator runs (again
/// after its weights change). Passes take turns, each with all configured threads, and run in chunks of the
/// generator's <see cref="Generator.MaxBatch"/> images, so the service's one image per pass holds here too.
/// </summary>
public sealed class OnnxInferenceDevice : IInferenceDevice, IDisposable
{
    private const string CudaProvider = "CUDAExecutionProvider";

    private readonly NeuralEngine _engine;
    private readonly int _threads;
    private readonly int? _cudaDevice;
    private readonly DeviceBusyTime _busy;
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly ConditionalWeakTable<Generator, Session> _sessions = new();

    /// <param name="engine">Loads and holds the weights: generators are still created by our engine.</param>
    /// <param name="threads">ONNX Runtime's intra-op threads (the CPU provider's compute threads).</param>
    /// <param name="cudaDevice">The GPU to run on; null for the CPU provider.</param>
    public OnnxInferenceDevice(NeuralEngine engine, int threads, TimeProvider clock, int? cudaDevice = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (cudaDevice is { } gpu && CudaProblem(gpu) is { } problem)
            throw new InvalidOperationException(problem);
        _engine = engine;
        _threads = threads;
        _cudaDevice = cudaDevice;
        _busy = new DeviceBusyTime(clock);
        var version = OrtEnv.Instance().GetVersionString();
        Engine = $"ONNX Runtime {version} · {Kind}";
        Name = cudaDevice is { } id
            ? $"ONNX Runtime {version} · CUDA provider · GPU {id}"
            : $"ONNX Runtime {version} · CPU provider · {threads} {(threads == 1 ? "thread" : "threads")}";
    }

    public string Name { get; }

    public DeviceKind Kind => _cudaDevice is null ? DeviceKind.Onnx : DeviceKind.OnnxCuda;

    public string Engine { get; }

    public Generator CreateGenerator(CganManifest manifest) => Generator.Create(manifest, _engine);

    public Task<float[][]> GenerateAsync(Generator generator, IReadOnlyList<GenerationItem> items,
        CancellationToken cancellationToken = default) =>
        _busy.RunAsync(() => Run(generator, items, cancellationToken), cancellationToken);

    public DeviceLoad LoadOver(TimeSpan window) => _busy.LoadOver(window);

    /// <summary>
    /// Why the CUDA provider cannot run here, or null when a one-node model ran on <paramref name="device"/>: the
    /// provider is missing from this build, its libraries (CUDA 13, cuDNN 9) do not load, or there is no such GPU.
    /// </summary>
    public static string? CudaProblem(int device)
    {
        var available = OrtEnv.Instance().GetAvailableProviders();
        if (!available.Contains(CudaProvider))
            return "Inference:Device is OnnxCuda, but this build of ONNX Runtime has only "
                + $"{string.Join(", ", available)}: "
                + "publish with -p:OnnxRuntimeGpu=true (package Microsoft.ML.OnnxRuntime.Gpu.Linux) on a host with "
                + "CUDA 13 and cuDNN 9, or set Inference:Device to Onnx or Cpu.";
        try
        {
            using var options = SessionOptionsFor(1, device);
            var probe = new OnnxGraph();
            probe.Input("x", OnnxGraph.Float, 1);
            probe.Output("y", OnnxGraph.Float, 1);
            probe.Node("Relu", ["x"], "y");
            var model = probe.ToModel("probe", GeneratorOnnxExport.Opset, "aigc", "1", [], "");
            using var session = new InferenceSession(model, options);
            using var x = OrtValue.CreateTensorValueFromMemory(new float[] { 1 }, [1]);
            using var run = new RunOptions();
            using var y = session.Run(run, ["x"], [x], ["y"]);
            return null;
        }
        catch (OnnxRuntimeException e)
        {
            return $"Inference:Device is OnnxCuda, but the CUDA provider does not run on GPU {device}: "
                + $"{e.Message.Trim().TrimEnd('.')}. "
                + "ONNX Runtime 1.32's CUDA provider needs an NVIDIA driver for CUDA 13 and, on the library path, "
                + "CUDA 13's runtime, cuBLAS and cuBLASLt (libcudart.so.13, libcublas.so.13, libcublasLt.so.13), "
                + "cuRAND (libcurand.so.10) and cuDNN 9 (see docs/decisions/0017-onnx-runtime-device.md).";
        }
    }

    public void Dispose()
    {
        foreach (var (_, session) in _sessions)
            session.Dispose();
        _sessions.Clear();
        _turn.Dispose();
    }

    private float[][] Run(Generator generator, IReadOnlyList<GenerationItem> items, CancellationToken cancellationToken)
    {
        var manifest = generator.Manifest;
        var conditions = generator.EncodeConditions(items);
        var latents = generator.Latents(items);
        var result = new float[items.Count][];
        _turn.Wait(cancellationToken);
        try
        {
            var session = SessionFor(generator);
            using var run = new RunOptions();
            using var stop = cancellationToken.Register(() => run.Terminate = true);
            for (var start = 0; start < items.Count; start += generator.MaxBatch)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var count = Math.Min(generator.MaxBatch, items.Count - start);
                var inputs = Inputs(manifest, latents, conditions.Slice(start, count), start);
                try
                {
                    using var outputs = session.Onnx.Run(run, session.InputNames, inputs,
                        [GeneratorOnnxExport.ImageOutput]);
                    var pixels = outputs[0].GetTensorDataAsSpan<float>();
                    for (var i = 0; i < count; i++)
                        result[start + i] = pixels.Slice(i * generator.ImageLength, generator.ImageLength).ToArray();
                }
                catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException(cancellationToken);
                }
                finally
                {
                    foreach (var input in inputs)
                        input.Dispose();
                }
            }
        }
        finally
        {
            _turn.Release();
        }

        return result;
    }

    /// <summary>Inputs in the export's order: z, each categorical condition's value weights, numeric values.</summary>
    private static OrtValue[] Inputs(CganManifest manifest, float[] latents, ConditionBatch conditions, int start)
    {
        var n = conditions.Count;
        var schema = conditions.Schema;
        var inputs = new List<OrtValue>
        {
            OrtValue.CreateTensorValueFromMemory(
                latents.AsSpan(start * manifest.LatentDim, n * manifest.LatentDim).ToArray(), [n, manifest.LatentDim]),
        };
        for (var k = 0; k < schema.Categorical.Count; k++)
        {
            var values = schema.Categorical[k].Values!.Count;
            var weights = new double[n * values];
            for (var i = 0; i < n; i++)
            {
                // (1 − t)·E[own] + t·E[toward] as the engine blends; t = 0 is exactly one-hot.
                var t = conditions.TowardT?[i] ?? 0;
                weights[i * values + conditions.Indices[k][i]] += 1 - t;
                if (conditions.TowardIndices is { } toward)
                    weights[i * values + toward[k][i]] += t;
            }

            inputs.Add(OrtValue.CreateTensorValueFromMemory(weights.Select(w => (float)w).ToArray(), [n, values]));
        }

        if (schema.Numeric.Count > 0)
            inputs.Add(OrtValue.CreateTensorValueFromMemory(
                conditions.Scaled.AsSpan(0, n * schema.Numeric.Count).ToArray(), [n, schema.Numeric.Count]));
        return [.. inputs];
    }

    /// <summary>The generator's session, made anew when it has none or its weights changed; on one's turn.</summary>
    private Session SessionFor(Generator generator)
    {
        if (_sessions.TryGetValue(generator, out var session) && session.WeightsVersion == generator.WeightsVersion)
            return session;
        var version = generator.WeightsVersion;
        var model = generator.ExportOnnx();
        var options = SessionOptionsFor(_threads, _cudaDevice);
        var fresh = new Session(version, new InferenceSession(model, options), options, InputNames(generator.Manifest));
        _sessions.AddOrUpdate(generator, fresh);
        session?.Dispose();
        return fresh;
    }

    private static string[] InputNames(CganManifest manifest)
    {
        var names = new List<string> { GeneratorOnnxExport.LatentInput };
        names.AddRange(manifest.Schema.Categorical.Select(c => GeneratorOnnxExport.ConditionInput(c.Name)));
        if (manifest.Schema.Numeric.Count > 0)
            names.Add(GeneratorOnnxExport.NumericInput);
        return [.. names];
    }

    private static SessionOptions SessionOptionsFor(int threads, int? cudaDevice)
    {
        var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        // Idle compute threads sleep instead of spinning: the post-processing runs on the same cores (decision 0002).
        options.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
        if (cudaDevice is { } device)
            options.AppendExecutionProvider_CUDA(device);
        return options;
    }

    private sealed class Session(
        long weightsVersion, InferenceSession onnx, SessionOptions options, string[] inputNames) : IDisposable
    {
        public long WeightsVersion { get; } = weightsVersion;

        public InferenceSession Onnx { get; } = onnx;

        public string[] InputNames { get; } = inputNames;

        public void Dispose()
        {
            Onnx.Dispose();
            options.Dispose();
        }
    }
}
