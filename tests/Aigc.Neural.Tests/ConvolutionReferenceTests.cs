using Aigc.Neural.Backend;
using Aigc.Neural.Layers;
using Aigc.Neural.Training;

namespace Aigc.Neural.Tests;

/// <summary>Conv2d and ConvTranspose2d on wide inputs (vectorised paths) against direct loops in double.</summary>
public class ConvolutionReferenceTests
{
    [Theory]
    [InlineData(4, 1, 1, 37)]
    [InlineData(4, 2, 1, 40)]
    [InlineData(3, 2, 0, 41)]
    [InlineData(5, 3, 2, 38)]
    public void Conv2d_matches_direct_convolution(int k, int s, int p, int width)
    {
        var rng = new RandomSource((ulong)(k * 100 + s * 10 + p));
        var conv = new Conv2d(TestEngines.Backend("openblas", 2), 3, 4, ConvGeometry.Square(k, s, p));
        Initialization.PyTorchDefault(conv, rng);
        var x = TestEngines.Random(rng, 2, 3, 9, width);
        var y = conv.Forward(x);
        int oh = y.Dim(2), ow = y.Dim(3);
        for (var b = 0; b < 2; b++)
            for (var o = 0; o < 4; o++)
                for (var i = 0; i < oh; i++)
                    for (var j = 0; j < ow; j++)
                    {
                        double sum = conv.Bias!.Value[o];
                        for (var c = 0; c < 3; c++)
                            for (var ki = 0; ki < k; ki++)
                                for (var kj = 0; kj < k; kj++)
                                {
                                    int iy = i * s - p + ki, ix = j * s - p + kj;
                                    if (iy >= 0 && iy < 9 && ix >= 0 && ix < width)
                                        sum += (double)x[((b * 3 + c) * 9 + iy) * width + ix] * conv.Weight.Value[((o * 3 + c) * k + ki) * k + kj];
                                }

                        Assert.True(Math.Abs(sum - y[((b * 4 + o) * oh + i) * ow + j]) < 1e-4, $"y[{b},{o},{i},{j}]");
                    }
    }

    [Theory]
    [InlineData(4, 2, 1, 20)]
    [InlineData(3, 1, 1, 33)]
    public void ConvTranspose2d_matches_direct_scatter(int k, int s, int p, int width)
    {
        var rng = new RandomSource((ulong)(k * 100 + s * 10 + p + 7));
        var conv = new ConvTranspose2d(TestEngines.Backend("openblas", 2), 3, 2, ConvGeometry.Square(k, s, p));
        Initialization.PyTorchDefault(conv, rng);
        var x = TestEngines.Random(rng, 2, 3, 5, width);
        var y = conv.Forward(x);
        int oh = y.Dim(2), ow = y.Dim(3);
        var expected = new double[y.Length];
        for (var b = 0; b < 2; b++)
            for (var o = 0; o < 2; o++)
                for (var i = 0; i < oh * ow; i++)
                    expected[(b * 2 + o) * oh * ow + i] = conv.Bias!.Value[o];
        for (var b = 0; b < 2; b++)
            for (var c = 0; c < 3; c++)
                for (var iy = 0; iy < 5; iy++)
                    for (var ix = 0; ix < width; ix++)
                        for (var o = 0; o < 2; o++)
                            for (var ki = 0; ki < k; ki++)
                                for (var kj = 0; kj < k; kj++)
                                {
                                    int oy = iy * s - p + ki, ox = ix * s - p + kj;
                                    if (oy >= 0 && oy < oh && ox >= 0 && ox < ow)
                                        expected[((b * 2 + o) * oh + oy) * ow + ox] += (double)x[((b * 3 + c) * 5 + iy) * width + ix] * conv.Weight.Value[((c * 2 + o) * k + ki) * k + kj];
                                }

        for (var i = 0; i < y.Length; i++)
            Assert.True(Math.Abs(expected[i] - y[i]) < 1e-4, $"y[{i}]");
    }
}
