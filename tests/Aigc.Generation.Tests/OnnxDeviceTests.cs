using System.Diagnostics;
using System.Runtime.InteropServices;
using Aigc.Generation.Inference;
using Aigc.Generation.Manifest;

namespace Aigc.Generation.Tests;

/// <summary>
/// The ONNX Runtime device against our engine, the reference (decision 0017): the exported shipped generators give
/// the engine's pixels within 1e-4, an image never depends on the batch it is served in, and the file is valid ONNX.
/// </summary>
public sealed class OnnxDeviceTests(Xunit.Abstractions.ITestOutputHelper output) : IDisposable
{
    private const float Tolerance = 1e-4f;
    private readonly OnnxInferenceDevice _onnx = new(Support.Engine("openblas"), 1, TimeProvider.System);
    private readonly string _folder = Directory.CreateTempSubdirectory("aigc-onnx-test-").FullName;

    public void Dispose()
    {
        _onnx.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData("v1")]
    [InlineData("v2")]
    public async Task A_shipped_generator_on_onnx_runtime_gives_our_engines_pixels_within_1e_4(string version)
    {
        var (manifest, weights) = Shipped(version);
        var cpu = new CpuInferenceDevice(Support.Engine("openblas"), TimeProvider.System);
        var reference = Load(cpu, manifest, weights);
        var onnx = Load(_onnx, manifest, weights);
        var items = Items();

        var expected = await cpu.GenerateAsync(reference, items);
        var actual = await _onnx.GenerateAsync(onnx, items);

        var worst = MaxAbsDifference(expected, actual);
        output.WriteLine($"{version}: max |onnx − engine| = {worst:E2} over {items.Count} images");
        Assert.True(worst <= Tolerance, $"{version}: ONNX Runtime differs from our engine by {worst:E2}");
        // Not a constant image: the parity means something only if the pixels vary.
        Assert.True(expected.Max(i => i.Max()) - expected.Min(i => i.Min()) > 1);
    }

    [Fact]
    public async Task An_image_on_the_onnx_device_does_not_depend_on_the_batch_it_is_served_in()
    {
        var (manifest, weights) = Shipped("v2");
        var generator = Load(_onnx, manifest, weights);
        generator.MaxBatch = 1;
        var items = Items();
        var alone = await _onnx.GenerateAsync(generator, [items[5]]);
        var rotated = items.Skip(3).Concat(items.Take(3)).ToList();
        var batch = await _onnx.GenerateAsync(generator, rotated);
        Assert.Equal(Bits(alone[0]), Bits(batch[2]));
    }

    [Fact]
    public async Task Loading_other_weights_replaces_what_the_onnx_session_runs()
    {
        var (manifest, weights) = Shipped("v2");
        var generator = _onnx.CreateGenerator(manifest);
        var items = Items().Take(2).ToList();
        var initial = await _onnx.GenerateAsync(generator, items);
        generator.LoadWeights(weights);
        var loaded = await _onnx.GenerateAsync(generator, items);
        var cpu = new CpuInferenceDevice(Support.Engine("openblas"), TimeProvider.System);
        var expected = await cpu.GenerateAsync(Load(cpu, manifest, weights), items);
        Assert.True(MaxAbsDifference(initial, expected) > 0.1, "the initial weights already drew the v2 images");
        Assert.True(MaxAbsDifference(loaded, expected) <= Tolerance);
    }

    [Fact]
    public async Task Numeric_conditions_and_interpolated_categories_export_too()
    {
        var engine = Support.Engine("openblas");
        var cpu = new CpuInferenceDevice(engine, TimeProvider.System);
        var manifest = Support.TinyManifest();
        var gear = new ConditionValues().Set("part", "gear").Set("view", "iso").Set("complexity", 3.0);
        var bracket = new ConditionValues().Set("part", "bracket").Set("view", "front").Set("complexity", 9.0);
        List<GenerationItem> items =
        [
            new(gear, 1),
            new(gear, 2) { Toward = new InterpolationEndpoint(bracket, 3, 0, 0.4) },
            new(bracket, 4) { Variation = new LatentVariation(5, 0, 0.5) },
        ];
        // Both devices hold the same (initial) weights: the generators are made from one seed.
        var expected = await cpu.GenerateAsync(cpu.CreateGenerator(manifest), items);
        var actual = await _onnx.GenerateAsync(_onnx.CreateGenerator(manifest), items);
        Assert.True(MaxAbsDifference(expected, actual) <= Tolerance);
    }

    [Fact]
    public void The_exported_model_passes_the_onnx_checker_with_opset_17()
    {
        var (manifest, weights) = Shipped("v2");
        var path = Path.Combine(_folder, "v2.onnx");
        File.WriteAllBytes(path, Load(_onnx, manifest, weights).ExportOnnx());
        const string check = "import onnx, sys; m = onnx.load(sys.argv[1]); "
            + "onnx.checker.check_model(m, full_check=True); "
            + "print(m.opset_import[0].version, [i.name for i in m.graph.input], [o.name for o in m.graph.output])";
        var (code, stdout, stderr) = Python(check, path);
        Assert.True(code == 0, $"onnx.checker rejected the model (needs Debian's python3-onnx): {stderr}");
        Assert.Equal("17 ['z', 'c.part', 'c.view', 'c.complexity'] ['image']", stdout.Trim());
    }

    [Fact]
    public void Choosing_cuda_where_there_is_none_says_what_is_missing()
    {
        var problem = OnnxInferenceDevice.CudaProblem(0);
        Assert.NotNull(problem);
        Assert.Contains("OnnxCuda", problem);
        Assert.Contains("CUDA 13", problem);
        var error = Assert.Throws<InvalidOperationException>(
            () => new OnnxInferenceDevice(Support.Engine("openblas"), 1, TimeProvider.System, cudaDevice: 0));
        Assert.Equal(problem, error.Message);
    }

    internal static (CganManifest Manifest, string Weights) Shipped(string version)
    {
        var folder = Path.Combine(RepositoryFolders.Models, "blueprints", version);
        var manifest = CganManifest.Load(Path.Combine(folder, "manifest.json"));
        return (manifest, Path.Combine(folder, "generator.safetensors"));
    }

    private static Generator Load(IInferenceDevice device, CganManifest manifest, string weights)
    {
        var generator = device.CreateGenerator(manifest);
        generator.LoadWeights(weights);
        return generator;
    }

    /// <summary>Eight plain samples across the conditions, a variation and an interpolation.</summary>
    internal static List<GenerationItem> Items()
    {
        string[] parts =
            ["spur_gear", "flange", "bracket", "stepped_shaft", "ball_bearing", "hex_nut", "pulley", "hole_plate"];
        string[] views = ["front", "side", "section"];
        string[] complexities = ["low", "medium", "high"];
        var items = parts.Select((p, i) => new GenerationItem(
            new ConditionValues().Set("part", p).Set("view", views[i % 3]).Set("complexity", complexities[i * 2 % 3]),
            42, i)).ToList();
        items.Add(items[0] with { Variation = new LatentVariation(7, 0, 0.6) });
        items.Add(items[1] with { Toward = new InterpolationEndpoint(items[2].Conditions, 42, 2, 0.5) });
        return items;
    }

    private static float MaxAbsDifference(float[][] a, float[][] b) =>
        a.Zip(b).Max(p => p.First.Zip(p.Second).Max(v => Math.Abs(v.First - v.Second)));

    private static int[] Bits(float[] image) => MemoryMarshal.Cast<float, int>(image.AsSpan()).ToArray();

    private static (int Code, string Stdout, string Stderr) Python(string script, string argument)
    {
        // Debian's interpreter: python3-onnx is installed for it, not for a python3 earlier on PATH.
        var start = new ProcessStartInfo("/usr/bin/python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr);
    }
}
