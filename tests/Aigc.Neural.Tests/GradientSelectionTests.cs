using Aigc.Neural.Backend;
using Aigc.Neural.Layers;

namespace Aigc.Neural.Tests;

public class GradientSelectionTests
{
    private readonly CpuBackend _backend = TestEngines.Backend();

    [Fact]
    public void Frozen_parameters_keep_their_gradients_and_the_input_gradient_is_unchanged()
    {
        var rng = new RandomSource(8);
        var conv = new Conv2d(_backend, 2, 3, ConvGeometry.Square(3, 2, 1));
        conv.ApplySpectralNorm(rng);
        var net = new Sequential(_backend, [conv, new BatchNorm2d(_backend, 3), new Activation(_backend, ActivationKind.LeakyReLU, 0.2f), new Flatten(_backend), new Linear(_backend, 48, 2)]);
        Training.Initialization.PyTorchDefault(net, rng);
        var x = TestEngines.Random(rng, 4, 2, 8, 8);
        var g = TestEngines.Random(rng, 4, 2);
        // Eval mode keeps spectral norm's u and v fixed, so both passes see the same weights.
        net.Eval();
        net.Forward(x);
        net.ZeroGrad();
        var expected = net.Backward(g)!.Span.ToArray();

        foreach (var p in net.Parameters())
            p.Grad.Fill(7f);
        net.SetParameterGradients(false);
        net.Forward(x);
        var actual = net.Backward(g)!.Span.ToArray();
        Assert.Equal(expected, actual);
        Assert.All(net.Parameters(), p => Assert.All(p.Grad.Span.ToArray(), v => Assert.Equal(7f, v)));
    }

    [Fact]
    public void The_first_layer_skips_the_input_gradient_when_nobody_needs_it()
    {
        var rng = new RandomSource(9);
        var conv = new Conv2d(_backend, 2, 3, ConvGeometry.Square(3, 1, 1));
        var net = new Sequential(_backend, [conv, new Activation(_backend, ActivationKind.Tanh)]);
        Training.Initialization.PyTorchDefault(net, rng);
        var x = TestEngines.Random(rng, 2, 2, 5, 5);
        net.Forward(x);
        net.ZeroGrad();
        Assert.NotNull(net.Backward(TestEngines.Random(rng, 2, 3, 5, 5)));
        var withInput = conv.Weight.Grad.Span.ToArray();
        net.InputGradient = false;
        net.ZeroGrad();
        net.Forward(x);
        Assert.Null(net.Backward(TestEngines.Random(rng, 2, 3, 5, 5)));
        Assert.NotEqual(new float[withInput.Length], conv.Weight.Grad.Span.ToArray());
    }
}
