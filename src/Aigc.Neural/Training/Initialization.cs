using Aigc.Neural.Layers;

namespace Aigc.Neural.Training;

public static class Initialization
{
    /// <summary>
    /// PyTorch's reset_parameters: Linear/Conv weights kaiming_uniform(a=√5), i.e. U(±1/√fan_in), biases
    /// U(±1/√fan_in); Embedding N(0,1); BatchNorm weight 1, bias 0.
    /// </summary>
    public static void PyTorchDefault(Module network, RandomSource random)
    {
        foreach (var module in Walk(network))
        {
            switch (module)
            {
                case WeightedLayer w:
                    var bound = 1.0 / Math.Sqrt(w.FanIn);
                    random.FillUniform(w.Weight.Value, -bound, bound);
                    if (w.Bias is not null)
                        random.FillUniform(w.Bias.Value, -bound, bound);
                    break;
                case Embedding e:
                    random.FillNormal(e.Weight.Value, 0, 1);
                    break;
                case BatchNorm2d bn:
                    bn.Weight.Value.Fill(1f);
                    bn.Bias.Value.Clear();
                    break;
            }
        }
    }

    /// <summary>DCGAN (Radford et al.): conv weights N(0, 0.02), BatchNorm weight N(1, 0.02) and bias 0; others as PyTorch.</summary>
    public static void Dcgan(Module network, RandomSource random)
    {
        PyTorchDefault(network, random);
        foreach (var module in Walk(network))
        {
            switch (module)
            {
                case Conv2d or ConvTranspose2d:
                    var w = (WeightedLayer)module;
                    random.FillNormal(w.Weight.Value, 0, 0.02);
                    w.Bias?.Value.Clear();
                    break;
                case BatchNorm2d bn:
                    random.FillNormal(bn.Weight.Value, 1, 0.02);
                    bn.Bias.Value.Clear();
                    break;
            }
        }
    }

    private static IEnumerable<Module> Walk(Module root)
    {
        yield return root;
        foreach (var child in root.Descendants())
            yield return child;
    }
}
