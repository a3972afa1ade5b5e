namespace Aigc.Neural.Layers;

/// <summary>torch.cat along dim 1 for tensors that agree in every other dimension; backward splits.</summary>
public sealed class Concat
{
    private Tensor? _output;
    private Tensor[] _grads = [];
    private int[] _widths = [];

    public Tensor Forward(params ReadOnlySpan<Tensor> parts)
    {
        if (parts.Length == 0)
            throw new ArgumentException("Concat needs at least one tensor.");
        var first = parts[0];
        var n = first.Dim(0);
        var inner = first.Length / Math.Max(1, n * first.Dim(1));
        if (_widths.Length != parts.Length)
        {
            _widths = new int[parts.Length];
            _grads = new Tensor[parts.Length];
        }

        var channels = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            var p = parts[i];
            if (p.Rank != first.Rank || p.Dim(0) != n || p.Length != n * p.Dim(1) * inner)
                throw new ArgumentException($"Concat: {p} does not match {first} outside dim 1.");
            _widths[i] = p.Dim(1) * inner;
            channels += p.Dim(1);
        }

        Span<int> shape = stackalloc int[first.Rank];
        first.Shape.CopyTo(shape);
        shape[1] = channels;
        _output = Tensor.Prepare(_output, shape);
        var row = channels * inner;
        var o = _output.Span;
        var offset = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            var w = _widths[i];
            var src = parts[i].Span;
            for (var b = 0; b < n; b++)
                src.Slice(b * w, w).CopyTo(o.Slice(b * row + offset, w));
            offset += w;
            _grads[i] = Tensor.Prepare(_grads[i], parts[i].Shape);
        }

        return _output;
    }

    /// <summary>Splits the output gradient into one gradient per input, in the order given to Forward.</summary>
    public IReadOnlyList<Tensor> Backward(Tensor gradOutput)
    {
        var n = gradOutput.Dim(0);
        var row = _widths.Sum();
        var g = gradOutput.Span;
        var offset = 0;
        for (var i = 0; i < _widths.Length; i++)
        {
            var w = _widths[i];
            var dst = _grads[i].Span;
            for (var b = 0; b < n; b++)
                g.Slice(b * row + offset, w).CopyTo(dst.Slice(b * w, w));
            offset += w;
        }

        return _grads;
    }
}
