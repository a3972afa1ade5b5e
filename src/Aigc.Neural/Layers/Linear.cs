using Aigc.Neural.Backend;

namespace Aigc.Neural.Layers;

/// <summary>torch.nn.Linear: y = x·Wᵀ + b, W is [out, in].</summary>
public sealed class Linear(INeuralBackend backend, int inFeatures, int outFeatures, bool bias = true)
    : WeightedLayer(backend, [outFeatures, inFeatures], outFeatures, bias)
{
    private Tensor? _input;
    private Tensor? _output;
    private Tensor? _gradInput;

    public int InFeatures { get; } = inFeatures;

    public int OutFeatures { get; } = outFeatures;

    public override int FanIn => InFeatures;

    public override Tensor Forward(Tensor input)
    {
        RequireRank(input, 2, "Linear");
        if (input.Dim(1) != InFeatures)
            throw new ArgumentException($"Linear({InFeatures}→{OutFeatures}) got input {input}.");
        _input = input;
        _output = Tensor.Prepare(_output, input.Dim(0), OutFeatures);
        Backend.Linear(input, ForwardWeight(), Bias?.Value, _output);
        return _output;
    }

    public override Tensor? Backward(Tensor gradOutput)
    {
        var input = _input ?? throw new InvalidOperationException("Linear.Backward called before Forward.");
        var gradInput = PrepareInputGradient(ref _gradInput, input);
        Backend.LinearBackward(input, UsedWeight, gradOutput, gradInput, BeginWeightGradient(), BiasGradient);
        EndWeightGradient();
        return gradInput;
    }
}
