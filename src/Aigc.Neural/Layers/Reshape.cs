using Aigc.Neural.Backend;

namespace Aigc.Neural.Layers;

/// <summary>
/// Keeps the batch dimension and reshapes the rest: to [N, shape...], or flattens to [N, rest] when no shape is
/// given (nn.Flatten). The output shares the input's memory, as a PyTorch view does.
/// </summary>
public sealed class Reshape(INeuralBackend backend, params int[] shape) : Layer(backend)
{
    private readonly int[] _shape = shape;
    private readonly Tensor _view = new(0);
    private readonly Tensor _gradView = new(0);
    private int[] _inputShape = [];
    private int[] _outputShape = [];

    public ReadOnlySpan<int> TargetShape => _shape;

    public override Tensor Forward(Tensor input)
    {
        var n = input.Dim(0);
        var rest = n == 0 ? 0 : input.Length / n;
        if (_outputShape.Length != _shape.Length + 1 || !input.HasShape(_inputShape))
        {
            var target = _shape.Length == 0 ? [rest] : _shape;
            var size = target.Aggregate(1, (a, b) => a * b);
            if (size != rest)
                throw new ArgumentException($"Reshape: cannot view {input} as [N, {string.Join(", ", target)}].");
            _inputShape = input.Shape.ToArray();
            _outputShape = [n, .. target];
        }

        _view.AliasOf(input, _outputShape);
        return _view;
    }

    public override Tensor Backward(Tensor gradOutput)
    {
        _gradView.AliasOf(gradOutput, _inputShape);
        return _gradView;
    }
}
