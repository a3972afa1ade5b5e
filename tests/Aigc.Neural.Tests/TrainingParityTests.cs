using Aigc.Neural.Layers;
using Aigc.Neural.Training;

namespace Aigc.Neural.Tests;

public class TrainingParityTests
{
    [Fact]
    public void Losses_match_pytorch()
    {
        var f = Fixture.Load("losses");
        var logits = f.Tensor("logits");
        var fake = f.Tensor("fake");
        var g = new Tensor(1);
        var g2 = new Tensor(1);
        Assert.Equal(f.Floats("bce")[0], Losses.BceWithLogits(logits, f.Floats("targets"), g), 5);
        Fixture.AssertClose(f.Floats("bce_grad"), g.Span, 1e-5, "bce grad");
        Assert.Equal(f.Floats("hinge_d")[0], Losses.HingeDiscriminator(logits, fake, g, g2), 5);
        Fixture.AssertClose(f.Floats("hinge_d_grad_real"), g.Span, 1e-6, "hinge D real grad");
        Fixture.AssertClose(f.Floats("hinge_d_grad_fake"), g2.Span, 1e-6, "hinge D fake grad");
        Assert.Equal(f.Floats("hinge_g")[0], Losses.HingeGenerator(fake, g), 5);
        Fixture.AssertClose(f.Floats("hinge_g_grad"), g.Span, 1e-6, "hinge G grad");
    }

    [Theory]
    [InlineData("adam")]
    [InlineData("sgd")]
    public void Optimizers_match_pytorch_over_three_steps(string name)
    {
        var f = Fixture.Load("optimizers");
        var p = new Parameter("w", f.Tensor("w0"));
        Optimizer opt = name == "adam"
            ? new Adam([p], lr: 0.01f, beta1: 0.5f, beta2: 0.99f, eps: 1e-6f, weightDecay: 0.1f)
            : new Sgd([p], lr: 0.05f, momentum: 0.9f, weightDecay: 0.01f);
        for (var i = 0; i < 3; i++)
        {
            f.Tensor($"grad{i}").Span.CopyTo(p.Grad.Span);
            opt.Step();
        }

        Fixture.AssertClose(f.Floats($"{name}_w3"), p.Value.Span, 1e-6, name);
    }

    [Fact]
    public void Global_norm_clipping_matches_pytorch()
    {
        var f = Fixture.Load("optimizers");
        var p = new Parameter("p", f.Tensor("w0"));
        var g0 = f.Floats("grad0");
        for (var i = 0; i < g0.Length; i++)
            p.Grad[i] = g0[i] * 5;
        var q = new Parameter("q", new Tensor(2));
        q.Grad[0] = 3;
        q.Grad[1] = -4;
        var norm = GradientClipping.ClipByGlobalNorm([p, q], 2.0);
        Assert.Equal(f.Floats("clip_norm")[0], norm, 4);
        Fixture.AssertClose(f.Floats("clip_p"), p.Grad.Span, 1e-6, "clipped p");
        Fixture.AssertClose(f.Floats("clip_q"), q.Grad.Span, 1e-6, "clipped q");
    }

    [Fact]
    public void Ema_tracks_parameters_and_copies_buffers()
    {
        var backend = TestEngines.Backend();
        var net = new Sequential(backend, [new Linear(backend, 2, 2), new BatchNorm2d(backend, 2)]);
        var shadow = new Sequential(backend, [new Linear(backend, 2, 2), new BatchNorm2d(backend, 2)]);
        var linear = (Linear)net.Layers[0];
        var bn = (BatchNorm2d)net.Layers[1];
        linear.Weight.Value.Fill(1f);
        var ema = new WeightEma(net, shadow, 0.9f);
        Assert.Equal(1f, ((Linear)shadow.Layers[0]).Weight.Value[0]);
        linear.Weight.Value.Fill(3f);
        bn.RunningMean.Fill(5f);
        bn.NumBatchesTracked = 4;
        ema.Update();
        Assert.Equal(0.9f * 1f + 0.1f * 3f, ((Linear)shadow.Layers[0]).Weight.Value[0], 6);
        Assert.Equal(5f, ((BatchNorm2d)shadow.Layers[1]).RunningMean[1]);
        Assert.Equal(4, ((BatchNorm2d)shadow.Layers[1]).NumBatchesTracked);
        var other = new Sequential(backend, [new Linear(backend, 2, 3)]);
        Assert.Contains("'0.weight'", Assert.Throws<ArgumentException>(() => new WeightEma(net, other, 0.9f)).Message);
    }

    [Fact]
    public void Dcgan_initialisation_has_the_stated_statistics()
    {
        var backend = TestEngines.Backend();
        var conv = new ConvTranspose2d(backend, 64, 64, Backend.ConvGeometry.Square(4));
        var bn = new BatchNorm2d(backend, 4096);
        Initialization.Dcgan(new Sequential(backend, [conv, bn]), new RandomSource(3));
        var w = conv.Weight.Value.Span.ToArray();
        Assert.Equal(0, w.Average(), 3);
        Assert.Equal(0.02, Math.Sqrt(w.Select(v => v * (double)v).Average()), 3);
        Assert.Equal(1, bn.Weight.Value.Span.ToArray().Average(), 2);
        var linear = new Linear(backend, 100, 50);
        Initialization.PyTorchDefault(linear, new RandomSource(4));
        Assert.True(linear.Weight.Value.Span.ToArray().All(v => Math.Abs(v) <= 0.1f));
        Assert.True(linear.Weight.Value.Span.ToArray().Max() > 0.09f);
    }
}
