using Aigc.Neural.Backend;

namespace Aigc.Neural.Layers;

/// <summary>torch.nn.ConvTranspose2d (dilation 1, groups 1); weight [in, out, kh, kw].</summary>
public sealed class ConvTranspose2d : WeightedLayer
{
    private Tensor? _input;
    private Tensor? _output;
    private Tensor? _gradInput;

    public ConvTranspose2d(INeuralBackend backend, int inChannels, int outChannels, ConvGeometry geometry, bool bias = true)
        : base(backend, [inChannels, outChannels, geometry.KernelH, geometry.KernelW], outChannels, bias)
    {
        geometry.Validate("ConvTranspose2d");
        InChannels = inChannels;
        OutChannels = outChannels;
        Geometry = geometry;
    }

    public int InChannels { get; }

    public int OutChannels { get; }

    public ConvGeometry Geometry { get; }

    /// <summary>PyTorch computes fan_in from weight.size(1), i.e. the output channels.</summary>
    public override int FanIn => OutChannels * Geometry.KernelH * Geometry.KernelW;

    protected override int SpectralNormDim => 1;

    public override Tensor Forward(Tensor input)
    {
        RequireRank(input, 4, "ConvTranspose2d");
        if (input.Dim(1) != InChannels)
            throw new ArgumentException($"ConvTranspose2d({InChannels}→{OutChannels}) got input {input}.");
        var (oh, ow) = Geometry.TransposedOutput(input.Dim(2), input.Dim(3));
        _input = input;
        _output = Tensor.Prepare(_output, input.Dim(0), OutChannels, oh, ow);
        Backend.ConvTranspose2d(input, ForwardWeight(), Bias?.Value, Geometry, _output);
        return _output;
    }

    public override Tensor? Backward(Tensor gradOutput)
    {
        var input = _input ?? throw new InvalidOperationException("ConvTranspose2d.Backward called before Forward.");
        var gradInput = PrepareInputGradient(ref _gradInput, input);
        Backend.ConvTranspose2dBackward(input, UsedWeight, gradOutput, Geometry, gradInput, BeginWeightGradient(), BiasGradient);
        EndWeightGradient();
        return gradInput;
    }
}
