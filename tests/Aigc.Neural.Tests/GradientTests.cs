using Aigc.Neural.Backend;
using Aigc.Neural.Layers;
using Aigc.Neural.Training;

namespace Aigc.Neural.Tests;

public class GradientTests
{
    private readonly CpuBackend _backend = TestEngines.Backend();
    private readonly RandomSource _rng = new(1234);

    private T Init<T>(T module) where T : Module
    {
        Initialization.PyTorchDefault(module, _rng);
        foreach (var p in module.Parameters())
            _rng.FillNormal(p.Value, 0, 0.5);
        return module;
    }

    [Fact]
    public void Linear() => GradientCheck.Layer(Init(new Linear(_backend, 7, 5)), TestEngines.Random(_rng, 4, 7), _rng);

    [Theory]
    [InlineData(3, 1, 0)]
    [InlineData(4, 2, 1)]
    [InlineData(3, 2, 2)]
    public void Conv2d(int kernel, int stride, int padding) =>
        GradientCheck.Layer(Init(new Conv2d(_backend, 3, 4, ConvGeometry.Square(kernel, stride, padding))), TestEngines.Random(_rng, 2, 3, 7, 6), _rng);

    [Theory]
    [InlineData(4, 1, 0, 0)]
    [InlineData(4, 2, 1, 0)]
    [InlineData(3, 2, 1, 1)]
    public void ConvTranspose2d(int kernel, int stride, int padding, int outputPadding) =>
        GradientCheck.Layer(Init(new ConvTranspose2d(_backend, 3, 2, ConvGeometry.Square(kernel, stride, padding, outputPadding))),
            TestEngines.Random(_rng, 2, 3, 4, 5), _rng);

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void BatchNorm2d(bool training)
    {
        var bn = Init(new BatchNorm2d(_backend, 3));
        _rng.FillUniform(bn.RunningVar, 0.5, 2);
        _rng.FillNormal(bn.RunningMean, 0, 1);
        bn.Train(training);
        GradientCheck.Layer(bn, TestEngines.Random(_rng, 4, 3, 3, 2), _rng, 3e-2);
    }

    [Theory]
    [InlineData(ActivationKind.ReLU)]
    [InlineData(ActivationKind.LeakyReLU)]
    [InlineData(ActivationKind.Tanh)]
    [InlineData(ActivationKind.Sigmoid)]
    public void Activations(ActivationKind kind)
    {
        var x = TestEngines.Random(_rng, 3, 4, 2, 2);
        // Keep inputs away from the kink at 0, where finite differences are meaningless.
        var s = x.Span;
        for (var i = 0; i < s.Length; i++)
            s[i] = s[i] >= 0 ? s[i] + 0.1f : s[i] - 0.1f;
        GradientCheck.Layer(new Activation(_backend, kind, 0.2f), x, _rng);
    }

    [Fact]
    public void Reshape_and_flatten_pass_gradients_through()
    {
        var net = new Sequential(_backend, [new Reshape(_backend, 6, 2, 1), new Flatten(_backend), Init(new Linear(_backend, 12, 3))]);
        GradientCheck.Layer(net, TestEngines.Random(_rng, 2, 12), _rng);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void Spectral_norm_weight(int layerKind)
    {
        WeightedLayer layer = layerKind == 0
            ? new Conv2d(_backend, 3, 4, ConvGeometry.Square(3, 1, 1))
            : new ConvTranspose2d(_backend, 3, 4, ConvGeometry.Square(4, 2, 1));
        Init(layer);
        layer.ApplySpectralNorm(_rng);
        layer.Eval();
        GradientCheck.Layer(layer, TestEngines.Random(_rng, 2, 3, 4, 4), _rng);
    }

    [Fact]
    public void Embedding_and_concat()
    {
        var emb = Init(new Embedding(_backend, 5, 3));
        var concat = new Concat();
        var z = TestEngines.Random(_rng, 4, 2);
        var zGrad = new Tensor(4, 2);
        int[] labels = [4, 0, 4, 2];
        GradientCheck.Check(() => concat.Forward(z, emb.Forward(labels)), g =>
        {
            emb.ZeroGrad();
            var parts = concat.Backward(g);
            parts[0].Span.CopyTo(zGrad.Span);
            emb.Backward(parts[1]);
        }, [("z", z, zGrad), ("embedding", emb.Weight.Value, emb.Weight.Grad)], _rng);
    }

    [Fact]
    public void Losses_match_finite_differences()
    {
        var logits = TestEngines.Random(_rng, 6, 1);
        var other = TestEngines.Random(_rng, 5, 1);
        var grad = new Tensor(6, 1);
        var grad2 = new Tensor(5, 1);
        float[] targets = [1, 0, 1, 0.3f, 0, 1];
        CheckScalar(() => Losses.BceWithLogits(logits, targets, grad), logits, grad);
        CheckScalar(() => Losses.BceWithLogits(logits, 1f, grad), logits, grad);
        CheckScalar(() => Losses.HingeGenerator(logits, grad), logits, grad);
        // Keep hinge margins away from their kinks at ±1.
        foreach (var t in new[] { logits, other })
            for (var i = 0; i < t.Length; i++)
                t[i] = Math.Abs(Math.Abs(t[i]) - 1) < 0.05f ? t[i] * 1.2f : t[i];
        CheckScalar(() => Losses.HingeDiscriminator(logits, other, grad, grad2), logits, grad);
        CheckScalar(() => Losses.HingeDiscriminator(logits, other, grad, grad2), other, grad2);
    }

    private static void CheckScalar(Func<double> loss, Tensor x, Tensor grad)
    {
        loss();
        var analytic = grad.Span.ToArray();
        for (var i = 0; i < x.Length; i++)
        {
            var saved = x[i];
            x[i] = saved + 1e-3f;
            var plus = loss();
            x[i] = saved - 1e-3f;
            var minus = loss();
            x[i] = saved;
            var numeric = (plus - minus) / ((double)(saved + 1e-3f) - (saved - 1e-3f));
            Assert.True(Math.Abs(numeric - analytic[i]) < 1e-3, $"dL/dx[{i}]: analytic {analytic[i]}, numeric {numeric}");
        }

        loss();
    }
}
