using System.Text.Json;
using Aigc.Generation.Networks;
using Aigc.Neural;
using Aigc.Neural.Backend;
using Aigc.Neural.Layers;
using static Aigc.Generation.Inference.Onnx.OnnxGraph;

namespace Aigc.Generation.Inference.Onnx;

/// <summary>
/// A generator as an ONNX model (opset 17), conditions in and image out, with its weights as they are used in eval
/// mode (spectral norm applied, batch norm's running statistics). Inputs: <c>z</c> [N, latentDim]; per categorical
/// condition <c>c.&lt;name&gt;</c> [N, values], the weights of its values (one-hot for a plain sample, two
/// non-zero weights for an interpolation); <c>numeric</c> [N, count] when the model has numeric conditions, scaled
/// to [−1, 1]. Output: <c>image</c> [N, channels, size, size] in [−1, 1].
/// </summary>
public static class GeneratorOnnxExport
{
    public const int Opset = 17;
    public const string LatentInput = "z";
    public const string NumericInput = "numeric";
    public const string ImageOutput = "image";

    public static string ConditionInput(string condition) => $"c.{condition}";

    /// <summary>Call under the engine's lease: spectral norm's weight is computed into the layer's buffer.</summary>
    internal static byte[] Write(GeneratorNetwork network)
    {
        if (network.Training)
            throw new InvalidOperationException("Only a generator in eval mode can be exported.");
        var manifest = network.Manifest;
        var schema = network.Schema;
        var graph = new OnnxGraph();
        var parameters = network.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Value);

        graph.Input(LatentInput, Float, "N", manifest.LatentDim);
        var parts = new List<string> { LatentInput };
        foreach (var condition in schema.Categorical)
        {
            var input = ConditionInput(condition.Name);
            graph.Input(input, Float, "N", condition.Values!.Count);
            var table = parameters[$"embeddings.{condition.Name}.weight"];
            var name = graph.Initializer($"embeddings.{condition.Name}.weight", table.Span, table.Dim(0), table.Dim(1));
            parts.Add(graph.Node("MatMul", [input, name], $"embedded.{condition.Name}"));
        }

        if (schema.Numeric.Count > 0)
        {
            graph.Input(NumericInput, Float, "N", schema.Numeric.Count);
            parts.Add(NumericInput);
        }

        var x = graph.Node("Concat", [.. parts], "input", NodeAttribute.Of("axis", 1L));
        var shape = graph.Initializer("input.shape", (ReadOnlySpan<long>)[0, network.InputChannels, 1, 1], 4);
        x = graph.Node("Reshape", [x, shape], "input.image");
        var layers = network.Net.Layers;
        for (var i = 0; i < layers.Count; i++)
            x = Layer(graph, layers[i], $"net.{i}", x);

        graph.Output(ImageOutput, Float, "N", manifest.Channels, manifest.ImageSize, manifest.ImageSize);
        graph.Node("Identity", [x], ImageOutput);
        var version = typeof(NeuralEngine).Assembly.GetName().Version?.ToString() ?? "0";
        return graph.ToModel(manifest.Name, Opset, "Aigc.Neural", version, Metadata(network), Doc);
    }

    private const string Doc = "Conditional GAN generator exported by aigc. Inputs: z [N, latentDim] standard normal; "
        + "c.<condition> [N, values] weights of the condition's values (one-hot for a plain sample); "
        + "numeric [N, count] scaled to [-1, 1] when present. Output: image [N, channels, size, size] in [-1, 1]. "
        + "The metadata key aigc.conditions lists each condition's values in input order.";

    private static string Layer(OnnxGraph graph, Layer layer, string name, string x) => layer switch
    {
        ConvTranspose2d conv => graph.Node("ConvTranspose", Weighted(graph, conv, name, x), name,
        [
            .. Geometry(conv.Geometry),
            NodeAttribute.Of("output_padding", conv.Geometry.OutputPaddingH, conv.Geometry.OutputPaddingW),
        ]),
        Conv2d conv => graph.Node("Conv", Weighted(graph, conv, name, x), name, Geometry(conv.Geometry)),
        Linear linear => graph.Node("Gemm", Weighted(graph, linear, name, x), name, NodeAttribute.Of("transB", 1L)),
        BatchNorm2d norm => graph.Node("BatchNormalization",
            [
                x,
                graph.Initializer($"{name}.weight", norm.Weight.Value.Span, norm.Channels),
                graph.Initializer($"{name}.bias", norm.Bias.Value.Span, norm.Channels),
                graph.Initializer($"{name}.running_mean", norm.RunningMean.Span, norm.Channels),
                graph.Initializer($"{name}.running_var", norm.RunningVar.Span, norm.Channels),
            ], name, NodeAttribute.Of("epsilon", norm.Eps)),
        Activation { Kind: ActivationKind.ReLU } => graph.Node("Relu", [x], name),
        Activation { Kind: ActivationKind.LeakyReLU } a =>
            graph.Node("LeakyRelu", [x], name, NodeAttribute.Of("alpha", a.NegativeSlope)),
        Activation { Kind: ActivationKind.Tanh } => graph.Node("Tanh", [x], name),
        Activation { Kind: ActivationKind.Sigmoid } => graph.Node("Sigmoid", [x], name),
        Flatten => graph.Node("Flatten", [x], name, NodeAttribute.Of("axis", 1L)),
        _ => throw new NotSupportedException($"{name}: {layer.GetType().Name} has no ONNX export."),
    };

    private static string[] Weighted(OnnxGraph graph, WeightedLayer layer, string name, string x)
    {
        // In eval mode spectral norm divides by σ from the stored u and v, as the engine's forward does.
        var weight = layer.Weight.Value;
        if (layer.SpectralNorm is { } norm)
        {
            norm.Compute(weight, training: false);
            weight = norm.Normalized;
        }

        var dims = weight.Shape.ToArray().Select(d => (long)d).ToArray();
        var inputs = new List<string> { x, graph.Initializer($"{name}.weight", weight.Span, dims) };
        if (layer.Bias is { } bias)
            inputs.Add(graph.Initializer($"{name}.bias", bias.Value.Span, bias.Value.Length));
        return [.. inputs];
    }

    private static NodeAttribute[] Geometry(ConvGeometry g)
    {
        NodeAttribute[] attributes =
        [
            NodeAttribute.Of("kernel_shape", g.KernelH, g.KernelW),
            NodeAttribute.Of("strides", g.StrideH, g.StrideW),
            NodeAttribute.Of("pads", g.PaddingH, g.PaddingW, g.PaddingH, g.PaddingW),
        ];
        // ONNX's default dilation is 1, so undilated layers export without the attribute, byte for byte as before.
        return g.IsUndilated ? attributes : [.. attributes, NodeAttribute.Of("dilations", g.DilationH, g.DilationW)];
    }

    private static Dictionary<string, string> Metadata(GeneratorNetwork network)
    {
        var schema = network.Schema;
        var conditions = schema.Categorical
            .Select(c => (object)new { name = c.Name, input = ConditionInput(c.Name), values = c.Values })
            .Concat(schema.Numeric
                .Select(c => (object)new { name = c.Name, input = NumericInput, min = c.Min, max = c.Max }));
        return new()
        {
            ["aigc.model"] = network.Manifest.Name,
            ["aigc.latentDim"] = network.Manifest.LatentDim.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["aigc.conditions"] = JsonSerializer.Serialize(conditions),
            ["aigc.exporter"] = $"Aigc.Generation {typeof(GeneratorOnnxExport).Assembly.GetName().Version}",
        };
    }
}
