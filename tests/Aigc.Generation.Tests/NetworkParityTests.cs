using Aigc.Generation.Networks;
using Aigc.Neural;
using Aigc.Neural.Backend;
using Aigc.Neural.Layers;
using Aigc.Neural.Safetensors;

namespace Aigc.Generation.Tests;

/// <summary>Whole manifest-built G and D against PyTorch (tools/fixtures/cgan_reference.py), train and eval mode.</summary>
public class NetworkParityTests
{
    public static TheoryData<string, string> Cases() => new()
    {
        { "train", "openblas" }, { "eval", "openblas" }, { "train", "managed" }, { "eval", "managed" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generator_matches_pytorch(string mode, string provider)
    {
        var manifest = Support.TinyManifest();
        var f = Fixture.Load($"generator_{mode}").Entries;
        var g = new GeneratorNetwork(manifest, new CpuBackend(Support.Engine(provider, 2)), new RandomSource(1));
        g.Train(mode == "train");
        StateDictFile.Load(g, f, "state.");
        var (z, conditions) = TensorFileInputs.Read(f, manifest.Schema, "z");

        var output = g.Forward(z, conditions);
        Fixture.AssertClose(f["output"].ToFloats(), output.Span, 1e-4, "output");
        g.ZeroGrad();
        var dz = g.Backward(Tensor.FromArray(f["grad_output"].ToFloats(), f["grad_output"].Shape));
        Fixture.AssertClose(f["grad_input.z"].ToFloats(), dz.Span, 1e-3, "grad z");
        AssertGradientsAndState(g, f);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Discriminator_matches_pytorch(string mode, string provider)
    {
        var manifest = Support.TinyManifest();
        var f = Fixture.Load($"discriminator_{mode}").Entries;
        var d = new DiscriminatorNetwork(manifest, new CpuBackend(Support.Engine(provider, 2)), new RandomSource(1));
        d.Train(mode == "train");
        StateDictFile.Load(d, f, "state.");
        var (x, conditions) = TensorFileInputs.Read(f, manifest.Schema, "x");

        var output = d.Forward(x, conditions);
        Fixture.AssertClose(f["output"].ToFloats(), output.Span, 1e-4, "output");
        d.ZeroGrad();
        var dx = d.Backward(Tensor.FromArray(f["grad_output"].ToFloats(), f["grad_output"].Shape));
        Fixture.AssertClose(f["grad_input.x"].ToFloats(), dx!.Span, 1e-3, "grad x");
        AssertGradientsAndState(d, f);
    }

    private static void AssertGradientsAndState(Module network, IReadOnlyDictionary<string, SafetensorsEntry> f)
    {
        var parameters = network.NamedParameters().ToList();
        Assert.Equal(f.Keys.Count(k => k.StartsWith("grad.", StringComparison.Ordinal)), parameters.Count);
        foreach (var (name, p) in parameters)
            Fixture.AssertClose(f["grad." + name].ToFloats(), p.Grad.Span, 1e-3, "grad." + name);
        foreach (var (name, slot) in network.StateDict())
        {
            if (slot is TensorSlot t)
                Fixture.AssertClose(f["after." + name].ToFloats(), t.Tensor.Span, 1e-4, "after." + name);
            else if (slot is CounterSlot c)
                Assert.Equal(f["after." + name].ToInt64()[0], c.Value);
        }
    }
}
