using Aigc.Neural.Backend;

namespace Aigc.Neural.Layers;

/// <summary>nn.Sequential: children are named "0", "1", … in state_dict.</summary>
public sealed class Sequential(INeuralBackend backend, IEnumerable<Layer> layers) : Layer(backend)
{
    private readonly Layer[] _layers = layers.ToArray();

    public IReadOnlyList<Layer> Layers => _layers;

    protected override IEnumerable<(string Name, Module Child)> Children() =>
        _layers.Select((layer, i) => (i.ToString(System.Globalization.CultureInfo.InvariantCulture), (Module)layer));

    public override Tensor Forward(Tensor input)
    {
        var x = input;
        foreach (var layer in _layers)
            x = layer.Forward(x);
        return x;
    }

    /// <summary>Forward with a cancellation check between layers.</summary>
    public Tensor Forward(Tensor input, CancellationToken cancellationToken)
    {
        var x = input;
        foreach (var layer in _layers)
        {
            cancellationToken.ThrowIfCancellationRequested();
            x = layer.Forward(x);
        }

        return x;
    }

    public override Tensor? Backward(Tensor gradOutput)
    {
        Tensor? g = gradOutput;
        for (var i = _layers.Length - 1; i >= 0; i--)
        {
            if (i == 0)
                _layers[0].InputGradient = InputGradient;
            g = _layers[i].Backward(g ?? throw new InvalidOperationException($"Layer {i + 1} of the sequence returned no input gradient."));
        }

        return g;
    }
}
