using Aigc.Generation.Manifest;
using Aigc.Neural;
using Aigc.Neural.Backend;
using Aigc.Neural.Layers;

namespace Aigc.Generation.Networks;

/// <summary>Builds a Sequential from layer specs, inferring each layer's input size from the previous output.</summary>
internal static class LayerStackBuilder
{
    /// <param name="shape">Per-item input shape ([C, H, W] or [F]); updated to the output shape.</param>
    public static Sequential Build(INeuralBackend backend, IReadOnlyList<LayerSpec> specs, ref int[] shape,
        bool spectralNorm, RandomSource random, string network)
    {
        var layers = new List<Layer>();
        for (var i = 0; i < specs.Count; i++)
        {
            var s = specs[i];
            var where = $"{network}.layers[{i}] ({s.Type})";
            Layer layer;
            switch (s.Type)
            {
                case "convTranspose2d":
                case "conv2d":
                {
                    Require(shape.Length == 3, where, "needs an image input [C, H, W]", shape);
                    var g = ConvGeometry.Square(s.Kernel, s.Stride, s.Padding, s.OutputPadding);
                    var (inH, inW) = (shape[1], shape[2]);
                    var (h, w) = Try(where, () => s.Type == "conv2d" ? g.ConvOutput(inH, inW) : g.TransposedOutput(inH, inW));
                    layer = s.Type == "conv2d"
                        ? new Conv2d(backend, shape[0], s.Out!.Value, g, s.Bias)
                        : new ConvTranspose2d(backend, shape[0], s.Out!.Value, g, s.Bias);
                    shape = [s.Out!.Value, h, w];
                    break;
                }

                case "linear":
                    Require(shape.Length == 1, where, "needs a flat input [F] (add a flatten layer)", shape);
                    layer = new Linear(backend, shape[0], s.Out!.Value, s.Bias);
                    shape = [s.Out!.Value];
                    break;
                case "batchNorm2d":
                    Require(shape.Length == 3, where, "needs an image input [C, H, W]", shape);
                    layer = new BatchNorm2d(backend, shape[0]);
                    break;
                case "relu":
                    layer = new Activation(backend, ActivationKind.ReLU);
                    break;
                case "leakyRelu":
                    layer = new Activation(backend, ActivationKind.LeakyReLU, s.Slope);
                    break;
                case "tanh":
                    layer = new Activation(backend, ActivationKind.Tanh);
                    break;
                case "sigmoid":
                    layer = new Activation(backend, ActivationKind.Sigmoid);
                    break;
                case "flatten":
                    layer = new Flatten(backend);
                    shape = [shape.Aggregate(1, (a, b) => a * b)];
                    break;
                default:
                    throw new ManifestException($"{where}: unknown layer type.");
            }

            if (spectralNorm && layer is WeightedLayer weighted)
                weighted.ApplySpectralNorm(random);
            layers.Add(layer);
        }

        return new Sequential(backend, layers);
    }

    private static void Require(bool condition, string where, string what, int[] shape)
    {
        if (!condition)
            throw new ManifestException($"{where} {what}, but the previous layer gives [{string.Join(", ", shape)}].");
    }

    private static T Try<T>(string where, Func<T> f)
    {
        try
        {
            return f();
        }
        catch (ArgumentException e)
        {
            throw new ManifestException($"{where}: {e.Message}", e);
        }
    }
}
