using System.Runtime.CompilerServices;
using Aigc.Neural.Backend;

namespace Aigc.Neural.Layers;

/// <summary>
/// y = x + scale·body(x), the residual block of EDSR-style networks; body's output must have x's shape. In state_dict
/// the body's entries are "body.…", as a PyTorch module holding `self.body = nn.Sequential(...)` names them.
/// The scale (EDSR's residual scaling) keeps a deep stack stable at the start of training.
/// </summary>
public sealed class Residual(INeuralBackend backend, Layer body, float scale = 1f) : Layer(backend)
{
    private Tensor? _output;
    private Tensor? _gradInput;
    private Tensor? _gradBody;

    public Layer Body { get; } = body;

    public float Scale { get; } = scale;

    protected override IEnumerable<(string Name, Module Child)> Children() => [("body", Body)];

    // Compiled optimised at first call, not after a minute of tier-0 code: decision 0024.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override Tensor Forward(Tensor input)
    {
        var f = Body.Forward(input);
        if (!f.HasShape(input.Shape))
            throw new ArgumentException($"Residual: the body maps {input} to {f}; it must keep the shape.");
        _output = Tensor.Prepare(_output, input.Shape);
        var x = input.Span;
        var fx = f.Span;
        var y = _output.Span;
        for (var i = 0; i < y.Length; i++)
            y[i] = x[i] + Scale * fx[i];
        return _output;
    }

    public override Tensor? Backward(Tensor gradOutput)
    {
        _gradBody = Tensor.Prepare(_gradBody, gradOutput.Shape);
        var dy = gradOutput.Span;
        var gb = _gradBody.Span;
        for (var i = 0; i < gb.Length; i++)
            gb[i] = Scale * dy[i];
        Body.InputGradient = InputGradient;
        var bodyGrad = Body.Backward(_gradBody);
        if (!InputGradient)
            return null;
        // dL/dx = dy (the skip) + body's input gradient of scale·dy.
        _gradInput = Tensor.Prepare(_gradInput, gradOutput.Shape);
        var g = _gradInput.Span;
        var bg = bodyGrad!.Span;
        for (var i = 0; i < g.Length; i++)
            g[i] = dy[i] + bg[i];
        return _gradInput;
    }
}
