using Aigc.Neural.Backend;

namespace Aigc.Neural.Layers;

/// <summary>ReLU, LeakyReLU(negative_slope), Tanh or Sigmoid, elementwise.</summary>
public sealed class Activation(INeuralBackend backend, ActivationKind kind, float negativeSlope = 0.01f) : Layer(backend)
{
    private Tensor? _input;
    private Tensor? _output;
    private Tensor? _gradInput;

    public ActivationKind Kind { get; } = kind;

    public float NegativeSlope { get; } = negativeSlope;

    public override Tensor Forward(Tensor input)
    {
        _input = input;
        _output = Tensor.Prepare(_output, input.Shape);
        Backend.Activation(Kind, NegativeSlope, input, _output);
        return _output;
    }

    public override Tensor Backward(Tensor gradOutput)
    {
        var input = _input ?? throw new InvalidOperationException($"{Kind}.Backward called before Forward.");
        _gradInput = Tensor.Prepare(_gradInput, input.Shape);
        Backend.ActivationBackward(Kind, NegativeSlope, input, _output!, gradOutput, _gradInput);
        return _gradInput;
    }
}
