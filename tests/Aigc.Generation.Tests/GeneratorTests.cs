using Aigc.Generation.Manifest;
using Aigc.Neural.Safetensors;

namespace Aigc.Generation.Tests;

public class GeneratorTests
{
    private static readonly ConditionValues Gear = new ConditionValues().Set("part", "gear").Set("view", "iso").Set("complexity", 3.0);
    private static readonly ConditionValues Bracket = new ConditionValues().Set("part", "bracket").Set("view", "front").Set("complexity", 9.0);

    [Fact]
    public void Latent_depends_only_on_seed_and_index()
    {
        var a = new float[100];
        var b = new float[100];
        var c = new float[100];
        LatentSampler.Fill(42, 7, a);
        LatentSampler.Fill(42, 7, b);
        LatentSampler.Fill(42, 8, c);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        var many = new float[20_000];
        for (var i = 0; i < 200; i++)
            LatentSampler.Fill(1, i, many.AsSpan(i * 100, 100));
        var mean = many.Average();
        var variance = many.Select(v => (v - mean) * (v - mean)).Average();
        Assert.InRange(mean, -0.03, 0.03);
        Assert.InRange(variance, 0.95, 1.05);
    }

    [Theory]
    [InlineData("openblas")]
    [InlineData("managed")]
    public void Output_does_not_depend_on_batching_and_repeats_bit_for_bit(string provider)
    {
        var generator = Generator.Create(Support.TinyManifest(), Support.Engine(provider, 2), initSeed: 3);
        var items = Enumerable.Range(0, 5).Select(i => new GenerationItem(i % 2 == 0 ? Gear : Bracket, 77, i)).ToArray();
        var together = generator.Generate(items);
        var again = generator.Generate(items);
        Assert.Equal(together, again);
        var alone = generator.Generate([items[3]]);
        AssertNear(together[3], alone[0]);
        Assert.Equal(3 * 16 * 16, together[0].Length);
        Assert.All(together.SelectMany(x => x), v => Assert.InRange(v, -1f, 1f));
    }

    [Fact]
    public void Requests_larger_than_the_batch_limit_run_in_chunks_with_the_same_result()
    {
        var engine = Support.Engine("managed", 1);
        var small = Generator.Create(Support.TinyManifest(), engine, initSeed: 3);
        var chunked = Generator.Create(Support.TinyManifest(), engine, initSeed: 3);
        chunked.MaxBatch = 2;
        var items = Enumerable.Range(0, 5).Select(i => new GenerationItem(Gear, 9, i)).ToArray();
        Assert.Equal(small.Generate(items), chunked.Generate(items));
    }

    [Fact]
    public void Concurrent_calls_on_one_generator_match_serial_results()
    {
        var generator = Generator.Create(Support.TinyManifest(), Support.Engine("openblas", 2), initSeed: 3);
        var requests = Enumerable.Range(0, 8)
            .Select(r => Enumerable.Range(0, 1 + r % 3).Select(i => new GenerationItem(r % 2 == 0 ? Gear : Bracket, (ulong)r, i)).ToArray())
            .ToArray();
        var serial = requests.Select(r => generator.Generate(r)).ToArray();
        var parallel = new float[requests.Length][][];
        Parallel.For(0, requests.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, r => parallel[r] = generator.Generate(requests[r]));
        for (var r = 0; r < requests.Length; r++)
            Assert.Equal(serial[r], parallel[r]);
    }

    [Fact]
    public void Cancellation_stops_generation()
    {
        var generator = Generator.Create(Support.TinyManifest(), Support.Engine("managed"), initSeed: 3);
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => generator.Generate([new GenerationItem(Gear, 1)], cts.Token));
    }

    [Fact]
    public void Weights_round_trip_and_bad_weights_name_the_tensor()
    {
        var manifest = Support.TinyManifest();
        var engine = Support.Engine("managed");
        var a = Generator.Create(manifest, engine, initSeed: 1);
        var b = Generator.Create(manifest, engine, initSeed: 2);
        var item = new[] { new GenerationItem(Gear, 5) };
        Assert.NotEqual(a.Generate(item), b.Generate(item));
        var path = Path.GetTempFileName();
        a.SaveWeights(path);
        b.LoadWeights(path);
        Assert.Equal(a.Generate(item), b.Generate(item));

        var entries = SafetensorsFile.Read(path).Values.Where(e => e.Name != "net.1.running_var").ToList();
        SafetensorsFile.Write(path, entries);
        var e = Assert.Throws<InvalidDataException>(() => b.LoadWeights(path));
        Assert.Contains("missing tensor 'net.1.running_var'", e.Message);
        Assert.Contains(path, e.Message);
        File.Delete(path);
    }

    private static void AssertNear(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f, $"[{i}] {expected[i]} vs {actual[i]}");
    }
}
