using Aigc.Neural.Backend;
using Aigc.Neural.Layers;
using Aigc.Neural.Safetensors;

namespace Aigc.Neural.Tests;

/// <summary>Each layer against PyTorch 1.13 fixtures: outputs ≤ 1e-4, gradients ≤ 1e-3 relative error.</summary>
public class LayerParityTests
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        string[] fixtures =
        [
            "linear_train", "conv2d_k3s1p1_train", "conv2d_k4s2p1_train", "convtranspose2d_k4s1p0_train",
            "convtranspose2d_k4s2p1_train", "convtranspose2d_k3s2p1o1_train", "batchnorm2d_train", "batchnorm2d_eval",
            "relu_train", "leakyrelu_train", "tanh_train", "sigmoid_train", "sn_conv2d_train", "sn_conv2d_eval",
            "sn_linear_train", "sn_linear_eval", "sn_convtranspose2d_train", "sn_convtranspose2d_eval",
            "pixelshuffle_r2_train", "pixelshuffle_r4_train", "residual_train", "conv2d_k3s1p2d2_train",
            "conv2d_k3s2p1d2_train", "conv2d_k3s1p3d3x1_train", "residual_d2_train",
        ];
        foreach (var provider in new[] { "openblas", "managed" })
            foreach (var f in fixtures)
                data.Add(f, provider);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Layer_matches_pytorch(string fixture, string provider)
    {
        var backend = TestEngines.Backend(provider, 2);
        var f = Fixture.Load(fixture);
        var layer = Build(fixture[..fixture.LastIndexOf('_')], backend);
        layer.Train(fixture.EndsWith("_train", StringComparison.Ordinal));
        StateDictFile.Load(layer, f.Entries, "state.");

        var output = layer.Forward(f.Tensor("input"));
        Assert.Equal(f.Entries["output"].Shape, output.Shape.ToArray());
        Fixture.AssertClose(f.Floats("output"), output.Span, 1e-4, "output");

        layer.ZeroGrad();
        var gradInput = layer.Backward(f.Tensor("grad_output"));
        Fixture.AssertClose(f.Floats("grad_input.input"), gradInput!.Span, 1e-3, "grad_input");
        var parameters = layer.NamedParameters().ToList();
        Assert.Equal(f.Entries.Keys.Count(k => k.StartsWith("grad.", StringComparison.Ordinal)), parameters.Count);
        foreach (var (name, p) in parameters)
            Fixture.AssertClose(f.Floats("grad." + name), p.Grad.Span, 1e-3, "grad." + name);
        AssertStateAfter(layer, f);
    }

    [Fact]
    public void Embedding_matches_pytorch()
    {
        var f = Fixture.Load("embedding_train");
        var emb = new Embedding(TestEngines.Backend(), 5, 3);
        StateDictFile.Load(emb, f.Entries, "state.");
        var y = emb.Forward(f.Indices("indices"));
        Fixture.AssertClose(f.Floats("output"), y.Span, 1e-6, "output");
        emb.Backward(f.Tensor("grad_output"));
        Fixture.AssertClose(f.Floats("grad.weight"), emb.Weight.Grad.Span, 1e-6, "grad.weight");
    }

    [Fact]
    public void Embedding_rejects_an_index_out_of_range()
    {
        var emb = new Embedding(TestEngines.Backend(), 5, 3);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => emb.Forward([1, 5]));
        Assert.Contains("index 5 at position 1 is outside 0..4", e.Message);
    }

    [Fact]
    public void PixelShuffle_rejects_channels_not_divisible_by_the_square_of_the_factor()
    {
        var shuffle = new PixelShuffle(TestEngines.Backend(), 2);
        var e = Assert.Throws<ArgumentException>(() => shuffle.Forward(new Tensor(1, 6, 2, 2)));
        Assert.Contains("divisible by 4", e.Message);
    }

    [Fact]
    public void ConvTranspose2d_rejects_a_dilation()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new ConvTranspose2d(TestEngines.Backend(), 2, 3, ConvGeometry.Square(3, 1, 1, dilation: 2)));
        Assert.Contains("dilation must be 1", e.Message);
    }

    [Fact]
    public void Conv2d_rejects_an_input_smaller_than_its_dilated_kernel()
    {
        // A 3×3 kernel at dilation 3 spans 7 pixels: 5 + 2·0 is too small although 5 ≥ 3.
        var conv = new Conv2d(TestEngines.Backend(), 1, 1, ConvGeometry.Square(3, dilation: 3));
        var e = Assert.Throws<ArgumentException>(() => conv.Forward(new Tensor(1, 1, 5, 5)));
        Assert.Contains("at dilation 3×3", e.Message);
    }

    [Fact]
    public void Residual_rejects_a_body_that_changes_the_shape()
    {
        var b = TestEngines.Backend();
        var residual = new Residual(b, new Conv2d(b, 2, 3, ConvGeometry.Square(3, 1, 1)));
        var e = Assert.Throws<ArgumentException>(() => residual.Forward(new Tensor(1, 2, 4, 4)));
        Assert.Contains("must keep the shape", e.Message);
    }

    internal static void AssertStateAfter(Module module, Fixture f)
    {
        foreach (var (name, slot) in module.StateDict())
        {
            switch (slot)
            {
                case TensorSlot t:
                    Fixture.AssertClose(f.Floats("after." + name), t.Tensor.Span, 1e-4, "after." + name);
                    break;
                case CounterSlot c:
                    Assert.Equal(f.Entries["after." + name].ToInt64()[0], c.Value);
                    break;
            }
        }
    }

    private static Layer Build(string name, INeuralBackend b)
    {
        Layer layer = name switch
        {
            "linear" => new Linear(b, 7, 5),
            "conv2d_k3s1p1" => new Conv2d(b, 3, 4, ConvGeometry.Square(3, 1, 1)),
            "conv2d_k4s2p1" => new Conv2d(b, 3, 4, ConvGeometry.Square(4, 2, 1), bias: false),
            "convtranspose2d_k4s1p0" => new ConvTranspose2d(b, 5, 4, ConvGeometry.Square(4)),
            "convtranspose2d_k4s2p1" => new ConvTranspose2d(b, 3, 2, ConvGeometry.Square(4, 2, 1), bias: false),
            "convtranspose2d_k3s2p1o1" => new ConvTranspose2d(b, 3, 2, ConvGeometry.Square(3, 2, 1, 1)),
            "batchnorm2d" => new BatchNorm2d(b, 3),
            "relu" => new Activation(b, ActivationKind.ReLU),
            "leakyrelu" => new Activation(b, ActivationKind.LeakyReLU, 0.2f),
            "tanh" => new Activation(b, ActivationKind.Tanh),
            "sigmoid" => new Activation(b, ActivationKind.Sigmoid),
            "sn_conv2d" => new Conv2d(b, 3, 4, ConvGeometry.Square(4, 2, 1)),
            "sn_linear" => new Linear(b, 6, 5),
            "sn_convtranspose2d" => new ConvTranspose2d(b, 3, 4, ConvGeometry.Square(4, 2, 1)),
            "pixelshuffle_r2" => new PixelShuffle(b, 2),
            "pixelshuffle_r4" => new PixelShuffle(b, 4),
            "residual" => new Residual(b, new Sequential(b, [
                new Conv2d(b, 4, 4, ConvGeometry.Square(3, 1, 1)), new Activation(b, ActivationKind.ReLU),
                new Conv2d(b, 4, 4, ConvGeometry.Square(3, 1, 1))]), 0.5f),
            "conv2d_k3s1p2d2" => new Conv2d(b, 3, 4, ConvGeometry.Square(3, 1, 2, dilation: 2)),
            "conv2d_k3s2p1d2" => new Conv2d(b, 3, 4, ConvGeometry.Square(3, 2, 1, dilation: 2), bias: false),
            "conv2d_k3s1p3d3x1" => new Conv2d(b, 2, 3, new ConvGeometry(3, 3, PaddingH: 3, PaddingW: 1,
                DilationH: 3, DilationW: 1)),
            "residual_d2" => new Residual(b, new Sequential(b, [
                new Conv2d(b, 4, 4, ConvGeometry.Square(3, 1, 1)), new Activation(b, ActivationKind.ReLU),
                new Conv2d(b, 4, 4, ConvGeometry.Square(3, 1, 2, dilation: 2))])),
            _ => throw new ArgumentException(name),
        };
        if (name.StartsWith("sn_", StringComparison.Ordinal))
            ((WeightedLayer)layer).ApplySpectralNorm(new RandomSource(1));
        return layer;
    }
}
