using System.Runtime.InteropServices;
using Aigc.Generation.Evaluation;
using Aigc.Generation.Manifest;
using Aigc.Generation.Networks;
using Aigc.Neural;
using Aigc.Neural.Safetensors;

namespace Aigc.Generation.Tests;

/// <summary>
/// The shipped versions as users get them. v1 drew nearly the same blueprint for every seed of one condition; v2,
/// trained with a packed discriminator (decision 0014), must not, or the Studio's seeds and variations are useless.
/// </summary>
public class ShippedModelTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly (string Part, string View, string Complexity)[] Conditions =
        [("spur_gear", "front", "medium"), ("flange", "side", "low"), ("bracket", "section", "high"), ("hex_nut", "front", "low")];

    [Fact]
    public void Seeds_of_one_condition_differ_far_more_with_v2_than_with_v1()
    {
        var v1 = WithinConditionVariance("v1");
        var v2 = WithinConditionVariance("v2");
        output.WriteLine($"mean within-condition pixel variance over 8 seeds: v1 {v1:G3}, v2 {v2:G3}");
        Assert.True(v2 > 20 * v1, $"v2's seeds of one condition vary {v2:G3} against v1's {v1:G3}");
    }

    /// <summary>The served path prepares its weights for inference (decision 0006's one image per pass); stored blueprints reproduce only if that changes no bit.</summary>
    [Fact]
    public void The_served_generator_draws_v2_blueprints_bit_for_bit_as_the_plain_network()
    {
        var folder = Path.Combine(RepositoryFolders.Models, "blueprints", "v2");
        var manifest = CganManifest.Load(Path.Combine(folder, "manifest.json"));
        var engine = Support.Engine("openblas");
        var items = Conditions.Select((c, i) => new GenerationItem(Values(c), 42, i)).ToList();
        var served = Generator.Create(manifest, engine);
        served.MaxBatch = 1;
        // A pass on the initial weights first: what it prepared must not outlive the load.
        served.Generate(items);
        served.LoadWeights(Path.Combine(folder, "generator.safetensors"));
        var plain = new GeneratorNetwork(manifest, engine.CreateBackend(), new RandomSource(0));
        StateDictFile.Load(plain, Path.Combine(folder, "generator.safetensors"));
        plain.Eval();

        var images = served.Generate(items);
        for (var i = 0; i < items.Count; i++)
        {
            var latent = new Tensor(1, manifest.LatentDim);
            LatentSampler.Fill(items[i].Seed, items[i].Index, latent.Span);
            var expected = plain.Forward(latent, manifest.Schema.Encode([items[i].Conditions]));
            Assert.Equal(MemoryMarshal.Cast<float, int>(expected.Span).ToArray(), MemoryMarshal.Cast<float, int>(images[i].AsSpan()).ToArray());
        }
    }

    private static double WithinConditionVariance(string version)
    {
        var folder = Path.Combine(RepositoryFolders.Models, "blueprints", version);
        var generator = Generator.Create(CganManifest.Load(Path.Combine(folder, "manifest.json")), Support.Engine("openblas"));
        generator.LoadWeights(Path.Combine(folder, "generator.safetensors"));
        var items = Conditions.SelectMany(c => Enumerable.Range(0, 8).Select(seed => new GenerationItem(Values(c), (ulong)(1000 + seed)))).ToList();
        var images = generator.Generate(items);
        return Enumerable.Range(0, Conditions.Length)
            .Average(c => WithinConditionDiversity.MeanVariance(images, Enumerable.Range(c * 8, 8).ToList()));
    }

    private static ConditionValues Values((string Part, string View, string Complexity) c) =>
        new ConditionValues().Set("part", c.Part).Set("view", c.View).Set("complexity", c.Complexity);
}
