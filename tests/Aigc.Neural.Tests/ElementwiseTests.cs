using Aigc.Neural.Backend;

namespace Aigc.Neural.Tests;

public class ElementwiseTests
{
    [Fact]
    public void Vectorised_tanh_is_within_a_few_ulp_everywhere()
    {
        var x = new List<float> { 0f, -0f, 1e-30f, -1e-8f, 0.2499f, 0.2501f, -0.25f, 0.0626f, 9f, -9f, 20f, 100f, float.PositiveInfinity, float.NegativeInfinity };
        var rng = new RandomSource(1);
        for (var i = 0; i < 20_000; i++)
            x.Add((float)(rng.NextGaussian() * Math.Pow(10, rng.NextUniform(-4, 1.2))));
        var y = new float[x.Count];
        Elementwise.Tanh(x.ToArray(), y);
        for (var i = 0; i < x.Count; i++)
        {
            var expected = Math.Tanh(x[i]);
            Assert.True(Math.Abs(y[i] - expected) <= 3e-7 * Math.Abs(expected) + 1e-38, $"tanh({x[i]:R}) = {y[i]:R}, expected {expected:R}");
        }

        var nan = new float[8];
        Elementwise.Tanh([float.NaN, 0, 0, 0, 0, 0, 0, 0], nan);
        Assert.True(float.IsNaN(nan[0]));
    }

    [Fact]
    public void Rectifiers_match_their_definition()
    {
        float[] x = [-2f, -0.5f, 0f, 0.5f, 3f, -1f, 2f, -3f, 4f, -4f];
        var y = new float[x.Length];
        Elementwise.Rectify(x, y, 0.2f);
        Assert.Equal(x.Select(v => v > 0 ? v : v * 0.2f), y);
        Elementwise.Rectify(x, y, 0f);
        Assert.Equal(x.Select(v => v > 0 ? v : 0f), y);
    }
}
