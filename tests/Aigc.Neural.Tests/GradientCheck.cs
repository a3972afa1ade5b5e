using Aigc.Neural.Layers;

namespace Aigc.Neural.Tests;

/// <summary>
/// Central finite differences of L = Σ G·f(x), accumulated in float64, against the analytic gradients.
/// The forward pass itself is float32, so the step is 1e-2 and tolerances allow for float32 rounding.
/// </summary>
internal static class GradientCheck
{
    private const double Step = 1e-2;

    public static void Check(Func<Tensor> forward, Action<Tensor> backward, IEnumerable<(string Name, Tensor Value, Tensor Grad)> wrt,
        RandomSource rng, double tolerance = 2e-2, int samplesPerTensor = 24)
    {
        var output = forward();
        var g = TestEngines.Random(rng, output.Shape.ToArray());
        backward(g);
        foreach (var (name, value, grad) in wrt.ToList())
        {
            var analytic = grad.Span.ToArray();
            var indices = Enumerable.Range(0, value.Length).OrderBy(_ => rng.NextUInt64()).Take(samplesPerTensor);
            foreach (var i in indices)
            {
                var saved = value[i];
                value[i] = (float)(saved + Step);
                var plus = Dot(forward(), g);
                value[i] = (float)(saved - Step);
                var minus = Dot(forward(), g);
                value[i] = saved;
                var numeric = (plus - minus) / (2 * Step);
                Assert.True(Math.Abs(numeric - analytic[i]) <= tolerance * (1 + Math.Abs(numeric)),
                    $"d/d{name}[{i}]: analytic {analytic[i]}, numeric {numeric}");
            }
        }
    }

    /// <summary>Checks a layer's input and parameter gradients.</summary>
    public static void Layer(Layer layer, Tensor input, RandomSource rng, double tolerance = 2e-2)
    {
        var inputGrad = new Tensor(input.Shape.ToArray());
        Check(() => layer.Forward(input), g =>
            {
                layer.ZeroGrad();
                layer.Backward(g)!.Span.CopyTo(inputGrad.Span);
            },
            layer.NamedParameters().Select(p => (p.Name, p.Parameter.Value, p.Parameter.Grad)).Prepend(("input", input, inputGrad)),
            rng, tolerance);
    }

    private static double Dot(Tensor a, Tensor b)
    {
        double s = 0;
        for (var i = 0; i < a.Length; i++)
            s += (double)a[i] * b[i];
        return s;
    }
}
