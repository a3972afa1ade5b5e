using Aigc.Neural.Backend;

namespace Aigc.Neural.Layers;

/// <summary>torch.nn.ConvTranspose2d (dilation 1, groups 1); weight [in, out, kh, kw].</summary>
public sealed class ConvTranspose2d : WeightedLayer
{
    private Tensor? _input;
    private Tensor? _output;
    private Tensor? _gradInput;
    private Tensor? _weightByOutput;

    public ConvTranspose2d(INeuralBackend backend, int inChannels, int outChannels, ConvGeometry geometry, bool bias = true)
        : base(backend, [inChannels, outChannels, geometry.KernelH, geometry.KernelW], outChannels, bias)
    {
        geometry.Validate("ConvTranspose2d");
        // Its col2im would scatter dilated taps correctly, but no fixture checks it and no network asks for it.
        if (!geometry.IsUndilated)
            throw new ArgumentException("ConvTranspose2d: dilation must be 1.");
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
        Backend.ConvTranspose2d(input, ForwardWeight(), Bias?.Value, Geometry, _output, _weightByOutput);
        return _output;
    }

    /// <summary>
    /// For inference on fixed weights: keeps the forward weight laid out as [Cout·kh·kw, Cin] as well, which BLAS packs
    /// for every pass faster than the [Cin, Cout·kh·kw] original, with the same result bit for bit. It is a copy taken
    /// now: call again after the weights change. Train() drops it.
    /// </summary>
    public void PrepareInference()
    {
        if (Training)
            throw new InvalidOperationException("ConvTranspose2d.PrepareInference needs eval mode: training changes the weights.");
        var weight = ForwardWeight().Span;
        var rows = OutChannels * Geometry.KernelH * Geometry.KernelW;
        _weightByOutput = Tensor.Prepare(_weightByOutput, rows, InChannels);
        var byOutput = _weightByOutput.Span;
        for (var c = 0; c < InChannels; c++)
            for (var r = 0; r < rows; r++)
                byOutput[r * InChannels + c] = weight[c * rows + r];
    }

    protected override void TrainingChanged()
    {
        if (Training)
            _weightByOutput = null;
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
