namespace Aigc.Neural.Layers;

/// <summary>
/// torch.nn.utils.spectral_norm with one power iteration: in training each forward updates u and v
/// (v = normalize(Wᵀu), u = normalize(Wv)); in both modes the layer uses W / σ with σ = uᵀWv, u and v
/// held constant for the gradient. W is the weight viewed as a matrix with <c>dim</c> first
/// (0 for Linear/Conv2d, 1 for ConvTranspose2d).
/// </summary>
public sealed class SpectralNorm
{
    private const double Eps = 1e-12;
    private readonly int _dim;
    private readonly int _d0;
    private readonly int _d1;
    private readonly int _rest;
    private readonly double[] _matrix;
    private readonly double[] _scratch;

    public SpectralNorm(Tensor weight, int dim, RandomSource random)
    {
        if (dim is not (0 or 1))
            throw new ArgumentOutOfRangeException(nameof(dim), "Spectral norm supports dim 0 or 1.");
        _dim = dim;
        _d0 = weight.Dim(0);
        _d1 = weight.Rank > 1 ? weight.Dim(1) : 1;
        _rest = weight.Length / (_d0 * _d1);
        Rows = dim == 0 ? _d0 : _d1;
        Cols = weight.Length / Rows;
        _matrix = new double[weight.Length];
        _scratch = new double[Math.Max(Rows, Cols)];
        U = new Tensor(Rows);
        V = new Tensor(Cols);
        random.FillNormal(U, 0, 1);
        random.FillNormal(V, 0, 1);
        Normalize(U.Span);
        Normalize(V.Span);
        Normalized = new Tensor(weight.Shape.ToArray());
        NormalizedGrad = new Tensor(weight.Shape.ToArray());
    }

    public int Rows { get; }

    public int Cols { get; }

    /// <summary>Buffer weight_u.</summary>
    public Tensor U { get; }

    /// <summary>Buffer weight_v.</summary>
    public Tensor V { get; }

    /// <summary>W / σ from the last <see cref="Compute"/>.</summary>
    public Tensor Normalized { get; }

    /// <summary>Gradient with respect to <see cref="Normalized"/>, filled by the layer's backward.</summary>
    public Tensor NormalizedGrad { get; }

    public double Sigma { get; private set; }

    public void Compute(Tensor weight, bool training)
    {
        ToMatrix(weight.Span, _matrix);
        var u = U.Span;
        var v = V.Span;
        if (training)
        {
            MulTransposed(u, v);
            Normalize(v);
            Mul(v, u);
            Normalize(u);
        }

        double sigma = 0;
        for (var r = 0; r < Rows; r++)
        {
            double wv = 0;
            for (var c = 0; c < Cols; c++)
                wv += _matrix[r * Cols + c] * v[c];
            sigma += u[r] * wv;
        }

        Sigma = sigma;
        var w = weight.Span;
        var o = Normalized.Span;
        for (var i = 0; i < w.Length; i++)
            o[i] = (float)(w[i] / sigma);
    }

    /// <summary>Adds dL/dW to <paramref name="weightGrad"/> from <see cref="NormalizedGrad"/>: G/σ − (⟨G,W⟩/σ²)·u vᵀ.</summary>
    public void Backward(Tensor weight, Tensor weightGrad)
    {
        var g = NormalizedGrad.Span;
        var w = weight.Span;
        double inner = 0;
        for (var i = 0; i < g.Length; i++)
            inner += (double)g[i] * w[i];
        var coefficient = inner / (Sigma * Sigma);
        var u = U.Span;
        var v = V.Span;
        for (var r = 0; r < Rows; r++)
            for (var c = 0; c < Cols; c++)
                _matrix[r * Cols + c] = coefficient * u[r] * v[c];
        var dw = weightGrad.Span;
        for (var i = 0; i < dw.Length; i++)
            dw[i] += (float)(g[i] / Sigma - _matrix[MatrixIndex(i)]);
    }

    public void ZeroGradient() => NormalizedGrad.Clear();

    private int MatrixIndex(int flat)
    {
        if (_dim == 0)
            return flat;
        var i = flat / (_d1 * _rest);
        var j = flat / _rest % _d1;
        var r = flat % _rest;
        return j * (_d0 * _rest) + i * _rest + r;
    }

    private void ToMatrix(ReadOnlySpan<float> w, double[] matrix)
    {
        for (var i = 0; i < w.Length; i++)
            matrix[MatrixIndex(i)] = w[i];
    }

    private void MulTransposed(ReadOnlySpan<float> u, Span<float> v)
    {
        Array.Clear(_scratch);
        for (var r = 0; r < Rows; r++)
            for (var c = 0; c < Cols; c++)
                _scratch[c] += _matrix[r * Cols + c] * u[r];
        for (var c = 0; c < Cols; c++)
            v[c] = (float)_scratch[c];
    }

    private void Mul(ReadOnlySpan<float> v, Span<float> u)
    {
        for (var r = 0; r < Rows; r++)
        {
            double s = 0;
            for (var c = 0; c < Cols; c++)
                s += _matrix[r * Cols + c] * v[c];
            u[r] = (float)s;
        }
    }

    private static void Normalize(Span<float> x)
    {
        double norm = 0;
        foreach (var e in x)
            norm += (double)e * e;
        var scale = 1.0 / Math.Max(Math.Sqrt(norm), Eps);
        for (var i = 0; i < x.Length; i++)
            x[i] = (float)(x[i] * scale);
    }
}
