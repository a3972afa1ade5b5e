using Aigc.Neural.Layers;

namespace Aigc.Neural.Training;

public static class GradientClipping
{
    /// <summary>torch.nn.utils.clip_grad_norm_ (L2): scales all gradients by max_norm/(total+1e-6) when that is below 1; returns the total norm.</summary>
    public static double ClipByGlobalNorm(IEnumerable<Parameter> parameters, double maxNorm)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxNorm);
        var list = parameters as IReadOnlyCollection<Parameter> ?? parameters.ToArray();
        double sum = 0;
        foreach (var p in list)
            foreach (var g in p.Grad.Span)
                sum += (double)g * g;
        var total = Math.Sqrt(sum);
        var coefficient = maxNorm / (total + 1e-6);
        if (coefficient < 1)
        {
            var c = (float)coefficient;
            foreach (var p in list)
            {
                var g = p.Grad.Span;
                for (var i = 0; i < g.Length; i++)
                    g[i] *= c;
            }
        }

        return total;
    }
}
