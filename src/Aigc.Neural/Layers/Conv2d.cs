using Aigc.Neural.Backend;

namespace Aigc.Neural.Layers;

/// <summary>torch.nn.Conv2d (any dilation, groups 1); weight [out, in, kh, kw].</summary>
public sealed class Conv2d : WeightedLayer
{
    private Tensor? _input;
    private Tensor? _output;
    private Tensor? _gradInput;
    private Tensor? _columns;
    private bool _columnsValid;

    public Conv2d(INeuralBackend backend, int inChannels, int outChannels, ConvGeometry geometry, bool bias = true)
        : base(backend, [outChannels, inChannels, geometry.KernelH, geometry.KernelW], outChannels, bias)
    {
        geometry.Validate("Conv2d");
        if (geometry.OutputPaddingH != 0 || geometry.OutputPaddingW != 0)
            throw new ArgumentException("Conv2d: output_padding applies only to ConvTranspose2d.");
        InChannels = inChannels;
        OutChannels = outChannels;
        Geometry = geometry;
    }

    public int InChannels { get; }

    public int OutChannels { get; }

    public ConvGeometry Geometry { get; }

    public override int FanIn => InChannels * Geometry.KernelH * Geometry.KernelW;

    public override Tensor Forward(Tensor input)
    {
        RequireRank(input, 4, "Conv2d");
        if (input.Dim(1) != InChannels)
            throw new ArgumentException($"Conv2d({InChannels}→{OutChannels}) got input {input}.");
        var (oh, ow) = Geometry.ConvOutput(input.Dim(2), input.Dim(3));
        _input = input;
        _output = Tensor.Prepare(_output, input.Dim(0), OutChannels, oh, ow);
        // Training keeps the unfolded input for the weight gradient (memory for speed); inference does not.
        _columnsValid = Training && ParameterGradients;
        if (_columnsValid)
            _columns ??= new Tensor(0, 0);
        Backend.Conv2d(input, ForwardWeight(), Bias?.Value, Geometry, _output, _columnsValid ? _columns : null);
        return _output;
    }

    public override Tensor? Backward(Tensor gradOutput)
    {
        var input = _input ?? throw new InvalidOperationException("Conv2d.Backward called before Forward.");
        var gradInput = PrepareInputGradient(ref _gradInput, input);
        Backend.Conv2dBackward(input, UsedWeight, gradOutput, Geometry, gradInput, BeginWeightGradient(), BiasGradient,
            _columnsValid ? _columns : null);
        EndWeightGradient();
        return gradInput;
    }
}
