using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Aigc.Neural.Gemm;

namespace Aigc.Neural.Backend;

/// <summary>
/// CPU implementation. Convolutions fold the batch into the GEMM's N dimension (one im2col/col2im over the
/// whole batch, one GEMM per layer). Scratch buffers grow to the largest layer and are then reused, so an
/// instance is not safe for concurrent use: give each network its own.
/// </summary>
public sealed class CpuBackend(NeuralEngine engine) : INeuralBackend
{
    private readonly IGemm _gemm = engine.Gemm;
    private readonly int _threads = engine.Threads;
    private float[] _cols = [];
    private float[] _matrix = [];

    public string Name => $"cpu/{_gemm.Name}";

    // Compiled optimised at first call, not after a minute of tier-0 code: decision 0024.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Linear(Tensor x, Tensor w, Tensor? b, Tensor y)
    {
        int n = x.Dim(0), i = w.Dim(1), o = w.Dim(0);
        RequireLength(x, n * i, "Linear input");
        _gemm.Sgemm(false, true, n, o, i, 1f, x.Span, i, w.Span, i, 0f, y.Span, o);
        if (b is null)
            return;
        var ys = y.Span;
        var bs = b.Span;
        for (var r = 0; r < n; r++)
        {
            var row = ys.Slice(r * o, o);
            for (var c = 0; c < o; c++)
                row[c] += bs[c];
        }
    }

    public void LinearBackward(Tensor x, Tensor w, Tensor dy, Tensor? dx, Tensor? dw, Tensor? db)
    {
        int n = x.Dim(0), i = w.Dim(1), o = w.Dim(0);
        if (dw is not null)
            _gemm.Sgemm(true, false, o, i, n, 1f, dy.Span, o, x.Span, i, 1f, dw.Span, i);
        if (dx is not null)
            _gemm.Sgemm(false, false, n, i, o, 1f, dy.Span, o, w.Span, i, 0f, dx.Span, i);
        if (db is null)
            return;
        var ds = dy.Span;
        var bs = db.Span;
        for (var r = 0; r < n; r++)
            for (var c = 0; c < o; c++)
                bs[c] += ds[r * o + c];
    }

    public void Conv2d(Tensor x, Tensor w, Tensor? b, ConvGeometry g, Tensor y, Tensor? columns = null)
    {
        int n = x.Dim(0), c = x.Dim(1), h = x.Dim(2), wd = x.Dim(3), o = w.Dim(0);
        var (oh, ow) = g.ConvOutput(h, wd);
        var rows = c * g.KernelH * g.KernelW;
        var cols = n * oh * ow;
        var colBuf = columns is null ? Scratch(ref _cols, (long)rows * cols) : columns.Resize([rows, cols]).Span;
        Im2Col(x.Span, n, c, h, wd, g, oh, ow, colBuf);
        var mat = Scratch(ref _matrix, (long)o * cols);
        _gemm.Sgemm(false, false, o, cols, rows, 1f, w.Span, rows, colBuf, cols, 0f, mat, cols);
        ChannelMajorToBatch(mat, n, o, oh * ow, y.Span, b is null ? default : b.Span);
    }

    public void Conv2dBackward(Tensor x, Tensor w, Tensor dy, ConvGeometry g, Tensor? dx, Tensor? dw, Tensor? db, Tensor? columns = null)
    {
        int n = x.Dim(0), c = x.Dim(1), h = x.Dim(2), wd = x.Dim(3), o = w.Dim(0);
        var (oh, ow) = g.ConvOutput(h, wd);
        var rows = c * g.KernelH * g.KernelW;
        var cols = n * oh * ow;
        var dyMat = Scratch(ref _matrix, (long)o * cols);
        BatchToChannelMajor(dy.Span, n, o, oh * ow, dyMat);
        if (db is not null)
            SumRows(dyMat, o, cols, db.Span);
        var colBuf = Scratch(ref _cols, (long)rows * cols);
        if (dw is not null)
        {
            if (columns is not null && columns.Length == rows * cols)
            {
                _gemm.Sgemm(false, true, o, rows, cols, 1f, dyMat, cols, columns.Span, cols, 1f, dw.Span, rows);
            }
            else
            {
                Im2Col(x.Span, n, c, h, wd, g, oh, ow, colBuf);
                _gemm.Sgemm(false, true, o, rows, cols, 1f, dyMat, cols, colBuf, cols, 1f, dw.Span, rows);
            }
        }

        if (dx is null)
            return;
        _gemm.Sgemm(true, false, rows, cols, o, 1f, w.Span, rows, dyMat, cols, 0f, colBuf, cols);
        Col2Im(colBuf, n, c, h, wd, g, oh, ow, dx.Span);
    }

    public void ConvTranspose2d(Tensor x, Tensor w, Tensor? b, ConvGeometry g, Tensor y, Tensor? weightByOutput = null)
    {
        int n = x.Dim(0), cin = x.Dim(1), h = x.Dim(2), wd = x.Dim(3), cout = w.Dim(1);
        var (oh, ow) = g.TransposedOutput(h, wd);
        var rows = cout * g.KernelH * g.KernelW;
        if (IsPointInput(h, wd, g))
        {
            // A 1×1 input without padding is a linear map: y[N, Cout·kh·kw] = x[N, Cin]·W[Cin, Cout·kh·kw], already NCHW.
            _gemm.Sgemm(false, false, n, rows, cin, 1f, x.Span, cin, w.Span, rows, 0f, y.Span, rows);
            if (b is not null)
                AddChannelBias(y.Span, n, cout, oh * ow, b.Span);
            return;
        }

        var cols = n * h * wd;
        var xMat = Scratch(ref _matrix, (long)cin * cols);
        BatchToChannelMajor(x.Span, n, cin, h * wd, xMat);
        var colBuf = Scratch(ref _cols, (long)rows * cols);
        // BLAS packs both layouts into the same panels, so the product is identical; the untransposed copy packs faster.
        if (weightByOutput is not null)
            _gemm.Sgemm(false, false, rows, cols, cin, 1f, weightByOutput.Span, cin, xMat, cols, 0f, colBuf, cols);
        else
            _gemm.Sgemm(true, false, rows, cols, cin, 1f, w.Span, rows, xMat, cols, 0f, colBuf, cols);
        Col2Im(colBuf, n, cout, oh, ow, g, h, wd, y.Span);
        if (b is not null)
            AddChannelBias(y.Span, n, cout, oh * ow, b.Span);
    }

    public void ConvTranspose2dBackward(Tensor x, Tensor w, Tensor dy, ConvGeometry g, Tensor? dx, Tensor? dw, Tensor? db)
    {
        int n = x.Dim(0), cin = x.Dim(1), h = x.Dim(2), wd = x.Dim(3), cout = w.Dim(1);
        var (oh, ow) = g.TransposedOutput(h, wd);
        var rows = cout * g.KernelH * g.KernelW;
        var cols = n * h * wd;
        if (db is not null)
            SumChannels(dy.Span, n, cout, oh * ow, db.Span);
        if (IsPointInput(h, wd, g))
        {
            if (dw is not null)
                _gemm.Sgemm(true, false, cin, rows, n, 1f, x.Span, cin, dy.Span, rows, 1f, dw.Span, rows);
            if (dx is not null)
                _gemm.Sgemm(false, true, n, cin, rows, 1f, dy.Span, rows, w.Span, rows, 0f, dx.Span, cin);
            return;
        }

        var colBuf = Scratch(ref _cols, (long)rows * cols);
        Im2Col(dy.Span, n, cout, oh, ow, g, h, wd, colBuf);
        var xMat = Scratch(ref _matrix, (long)cin * cols);
        if (dw is not null)
        {
            BatchToChannelMajor(x.Span, n, cin, h * wd, xMat);
            _gemm.Sgemm(false, true, cin, rows, cols, 1f, xMat, cols, colBuf, cols, 1f, dw.Span, rows);
        }

        if (dx is null)
            return;
        _gemm.Sgemm(false, false, cin, cols, rows, 1f, w.Span, rows, colBuf, cols, 0f, xMat, cols);
        ChannelMajorToBatch(xMat, n, cin, h * wd, dx.Span, default);
    }

    public void BatchNormTraining(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor y, Tensor mean, Tensor variance)
    {
        int n = x.Dim(0), c = x.Dim(1), hw = x.Length / (n * c);
        var count = (double)n * hw;
        ForRange(c, x.Length, ch =>
        {
            var xs = x.Span;
            double sum = 0;
            for (var b = 0; b < n; b++)
                sum += Elementwise.Sum(xs.Slice((b * c + ch) * hw, hw));
            var m = sum / count;
            double sq = 0;
            for (var b = 0; b < n; b++)
                sq += Elementwise.SquaredDeviation(xs.Slice((b * c + ch) * hw, hw), m);
            mean[ch] = (float)m;
            variance[ch] = (float)(sq / count);
        });

        BatchNormInference(x, gamma, beta, mean, variance, eps, y);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void BatchNormInference(Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor variance, float eps, Tensor y)
    {
        int n = x.Dim(0), c = x.Dim(1), hw = x.Length / (n * c);
        ForRange(c, x.Length, ch =>
        {
            var invStd = 1.0 / Math.Sqrt(variance[ch] + (double)eps);
            var scale = (float)(gamma[ch] * invStd);
            var shift = (float)(beta[ch] - mean[ch] * gamma[ch] * invStd);
            for (var b = 0; b < n; b++)
            {
                var offset = (b * c + ch) * hw;
                Elementwise.Affine(x.Span.Slice(offset, hw), y.Span.Slice(offset, hw), scale, shift);
            }
        });
    }

    public void BatchNormBackward(Tensor x, Tensor gamma, Tensor mean, Tensor variance, float eps, bool batchStatistics,
        Tensor dy, Tensor dx, Tensor? dgamma, Tensor? dbeta)
    {
        int n = x.Dim(0), c = x.Dim(1), hw = x.Length / (n * c);
        var count = (double)n * hw;
        ForRange(c, x.Length, ch =>
        {
            var xs = x.Span;
            var ds = dy.Span;
            double m = mean[ch];
            var invStd = 1.0 / Math.Sqrt(variance[ch] + (double)eps);
            double sumDy = 0, sumDyX = 0;
            for (var b = 0; b < n; b++)
            {
                var offset = (b * c + ch) * hw;
                sumDy += Elementwise.Sum(ds.Slice(offset, hw));
                sumDyX += Elementwise.Dot(ds.Slice(offset, hw), xs.Slice(offset, hw));
            }

            // Σ dy·x̂ = (Σ dy·x − m·Σ dy)·invStd
            var sumDyXhat = (sumDyX - m * sumDy) * invStd;
            if (dgamma is not null)
                dgamma[ch] += (float)sumDyXhat;
            if (dbeta is not null)
                dbeta[ch] += (float)sumDy;
            double gm = gamma[ch];
            // dx = γ·invStd·(dy − Σdy/M − x̂·Σdy·x̂/M) = a·dy + b·x + c, per channel.
            float scale, xScale, shift;
            if (batchStatistics)
            {
                scale = (float)(gm * invStd);
                xScale = (float)(-gm * invStd * invStd * sumDyXhat / count);
                shift = (float)(-gm * invStd * sumDy / count + gm * invStd * invStd * sumDyXhat * m / count);
            }
            else
            {
                scale = (float)(gm * invStd);
                xScale = 0f;
                shift = 0f;
            }

            for (var b = 0; b < n; b++)
            {
                var offset = (b * c + ch) * hw;
                Elementwise.AffineTwo(ds.Slice(offset, hw), scale, xs.Slice(offset, hw), xScale, shift, dx.Span.Slice(offset, hw));
            }
        });
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Activation(ActivationKind kind, float slope, Tensor x, Tensor y)
    {
        if (kind is ActivationKind.ReLU or ActivationKind.LeakyReLU)
        {
            var a = kind == ActivationKind.ReLU ? 0f : slope;
            ForChunks(x.Length, (from, to) => Elementwise.Rectify(x.Span[from..to], y.Span[from..to], a));
            return;
        }

        var xs = x.Span;
        var ys = y.Span;
        switch (kind)
        {
            case ActivationKind.Tanh:
                ForChunks(x.Length, (from, to) => Elementwise.Tanh(x.Span[from..to], y.Span[from..to]));
                break;
            case ActivationKind.Sigmoid:
                for (var i = 0; i < xs.Length; i++)
                    ys[i] = 1f / (1f + MathF.Exp(-xs[i]));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation.");
        }
    }

    public void ActivationBackward(ActivationKind kind, float slope, Tensor x, Tensor y, Tensor dy, Tensor dx)
    {
        if (kind is ActivationKind.ReLU or ActivationKind.LeakyReLU)
        {
            var a = kind == ActivationKind.ReLU ? 0f : slope;
            ForChunks(x.Length, (from, to) => Elementwise.RectifyBackward(x.Span[from..to], dy.Span[from..to], dx.Span[from..to], a));
            return;
        }

        var ys = y.Span;
        var ds = dy.Span;
        var dxs = dx.Span;
        switch (kind)
        {
            case ActivationKind.Tanh:
                for (var i = 0; i < ys.Length; i++)
                    dxs[i] = ds[i] * (1f - ys[i] * ys[i]);
                break;
            case ActivationKind.Sigmoid:
                for (var i = 0; i < ys.Length; i++)
                    dxs[i] = ds[i] * ys[i] * (1f - ys[i]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown activation.");
        }
    }

    public void Embedding(Tensor table, ReadOnlySpan<int> indices, Tensor y)
    {
        int rows = table.Dim(0), d = table.Dim(1);
        for (var i = 0; i < indices.Length; i++)
        {
            var index = indices[i];
            if ((uint)index >= (uint)rows)
                throw new ArgumentOutOfRangeException(nameof(indices), $"Embedding: index {index} at position {i} is outside 0..{rows - 1}.");
            table.Span.Slice(index * d, d).CopyTo(y.Span.Slice(i * d, d));
        }
    }

    public void EmbeddingBackward(ReadOnlySpan<int> indices, Tensor dy, Tensor dtable)
    {
        var d = dtable.Dim(1);
        for (var i = 0; i < indices.Length; i++)
        {
            var src = dy.Span.Slice(i * d, d);
            var dst = dtable.Span.Slice(indices[i] * d, d);
            for (var j = 0; j < d; j++)
                dst[j] += src[j];
        }
    }

    /// <summary>
    /// cols[(c,ki,kj), (b,oy,ox)] = image[b, c, oy*s - p + d*ki, ox*s - p + d*kj] (zero outside). Rows for different
    /// channels are independent, so channels are split across threads.
    /// </summary>
    private void Im2Col(ReadOnlySpan<float> image, int n, int c, int h, int w, ConvGeometry g, int oh, int ow, Span<float> cols)
    {
        var work = new ColumnJob(n, c, h, w, g, oh, ow);
        unsafe
        {
            fixed (float* img = image)
            fixed (float* col = cols)
            {
                var pImg = (nint)img;
                var pCol = (nint)col;
                ForRange(c, cols.Length, ch => work.Im2Col((float*)pImg, (float*)pCol, ch));
            }
        }
    }

    /// <summary>The adjoint of <see cref="Im2Col"/>: image = Σ scatter(cols).</summary>
    private void Col2Im(ReadOnlySpan<float> cols, int n, int c, int h, int w, ConvGeometry g, int oh, int ow, Span<float> image)
    {
        var work = new ColumnJob(n, c, h, w, g, oh, ow);
        unsafe
        {
            fixed (float* img = image)
            fixed (float* col = cols)
            {
                var pImg = (nint)img;
                var pCol = (nint)col;
                ForRange(c, cols.Length, ch => work.Col2Im((float*)pCol, (float*)pImg, ch));
            }
        }
    }

    private static bool IsPointInput(int h, int w, ConvGeometry g) =>
        h == 1 && w == 1 && g.PaddingH == 0 && g.PaddingW == 0 && g.OutputPaddingH == 0 && g.OutputPaddingW == 0;

    /// <summary>Runs body(i) for i in [0, count), split statically over the engine's threads when the work is large.</summary>
    private void ForRange(int count, long size, Action<int> body)
    {
        if (_threads == 1 || size < 1 << 16)
        {
            for (var i = 0; i < count; i++)
                body(i);
            return;
        }

        var parts = Math.Min(_threads, count);
        WorkerPool.For(_threads).Run(parts, part =>
        {
            for (var i = count * part / parts; i < count * (part + 1) / parts; i++)
                body(i);
        });
    }

    private void ForChunks(int length, Action<int, int> body)
    {
        if (_threads == 1 || length < 1 << 16)
        {
            body(0, length);
            return;
        }

        WorkerPool.For(_threads).Run(_threads, part =>
            body((int)((long)length * part / _threads), (int)((long)length * (part + 1) / _threads)));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BatchToChannelMajor(ReadOnlySpan<float> src, int n, int c, int hw, Span<float> dst)
    {
        for (var b = 0; b < n; b++)
            for (var ch = 0; ch < c; ch++)
                src.Slice((b * c + ch) * hw, hw).CopyTo(dst.Slice((ch * n + b) * hw, hw));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ChannelMajorToBatch(ReadOnlySpan<float> src, int n, int c, int hw, Span<float> dst, ReadOnlySpan<float> bias)
    {
        for (var b = 0; b < n; b++)
        {
            for (var ch = 0; ch < c; ch++)
            {
                var from = src.Slice((ch * n + b) * hw, hw);
                var to = dst.Slice((b * c + ch) * hw, hw);
                if (bias.IsEmpty)
                    from.CopyTo(to);
                else
                    Elementwise.Affine(from, to, 1f, bias[ch]);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void AddChannelBias(Span<float> y, int n, int c, int hw, ReadOnlySpan<float> bias)
    {
        for (var b = 0; b < n; b++)
            for (var ch = 0; ch < c; ch++)
            {
                var row = y.Slice((b * c + ch) * hw, hw);
                Elementwise.Affine(row, row, 1f, bias[ch]);
            }
    }

    private static void SumChannels(ReadOnlySpan<float> dy, int n, int c, int hw, Span<float> db)
    {
        for (var ch = 0; ch < c; ch++)
        {
            double sum = 0;
            for (var b = 0; b < n; b++)
                foreach (var v in dy.Slice((b * c + ch) * hw, hw))
                    sum += v;
            db[ch] += (float)sum;
        }
    }

    private static void SumRows(ReadOnlySpan<float> m, int rows, int cols, Span<float> into)
    {
        for (var r = 0; r < rows; r++)
        {
            double sum = 0;
            foreach (var v in m.Slice(r * cols, cols))
                sum += v;
            into[r] += (float)sum;
        }
    }

    private static Span<float> Scratch(ref float[] buffer, long length)
    {
        if (length > Array.MaxLength)
            throw new InvalidOperationException($"A layer needs {length} floats of scratch, more than one array holds; use a smaller batch.");
        if (buffer.Length < length)
            buffer = new float[length];
        return buffer.AsSpan(0, (int)length);
    }

    private static void RequireLength(Tensor t, int expected, string what)
    {
        if (t.Length != expected)
            throw new ArgumentException($"{what}: expected {expected} elements, got {t}.");
    }

    private readonly unsafe struct ColumnJob(int n, int c, int h, int w, ConvGeometry g, int oh, int ow)
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Im2Col(float* image, float* cols, int ch)
        {
            var span = (long)n * oh * ow;
            for (var ki = 0; ki < g.KernelH; ki++)
            for (var kj = 0; kj < g.KernelW; kj++)
            {
                var row = cols + ((long)(ch * g.KernelH + ki) * g.KernelW + kj) * span;
                // A dilated kernel's tap (ki, kj) reads d·ki rows and d·kj columns from the window's corner.
                var (lo, hi) = ValidRange(kj * g.DilationW, g.StrideW, g.PaddingW, w, ow);
                var offset = kj * g.DilationW - g.PaddingW;
                for (var b = 0; b < n; b++)
                {
                    var plane = image + ((long)b * c + ch) * h * w;
                    for (var oy = 0; oy < oh; oy++)
                    {
                        var dst = row + ((long)b * oh + oy) * ow;
                        var iy = oy * g.StrideH - g.PaddingH + ki * g.DilationH;
                        if ((uint)iy >= (uint)h)
                        {
                            new Span<float>(dst, ow).Clear();
                            continue;
                        }

                        var src = plane + iy * w + offset;
                        for (var ox = 0; ox < lo; ox++)
                            dst[ox] = 0f;
                        if (g.StrideW == 1)
                            new ReadOnlySpan<float>(src + lo, hi - lo).CopyTo(new Span<float>(dst + lo, hi - lo));
                        else if (g.StrideW == 2)
                            GatherEven(src, dst, lo, hi, w - offset);
                        else
                            for (var ox = lo; ox < hi; ox++)
                                dst[ox] = src[ox * g.StrideW];
                        for (var ox = hi; ox < ow; ox++)
                            dst[ox] = 0f;
                    }
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Col2Im(float* cols, float* image, int ch)
        {
            var span = (long)n * oh * ow;
            for (var b = 0; b < n; b++)
                new Span<float>(image + ((long)b * c + ch) * h * w, h * w).Clear();
            for (var ki = 0; ki < g.KernelH; ki++)
            for (var kj = 0; kj < g.KernelW; kj++)
            {
                var row = cols + ((long)(ch * g.KernelH + ki) * g.KernelW + kj) * span;
                // A dilated kernel's tap (ki, kj) reads d·ki rows and d·kj columns from the window's corner.
                var (lo, hi) = ValidRange(kj * g.DilationW, g.StrideW, g.PaddingW, w, ow);
                var offset = kj * g.DilationW - g.PaddingW;
                for (var b = 0; b < n; b++)
                {
                    var plane = image + ((long)b * c + ch) * h * w;
                    for (var oy = 0; oy < oh; oy++)
                    {
                        var iy = oy * g.StrideH - g.PaddingH + ki * g.DilationH;
                        if ((uint)iy >= (uint)h)
                            continue;
                        var src = row + ((long)b * oh + oy) * ow;
                        var dst = plane + iy * w + offset;
                        if (g.StrideW == 1)
                            AddInto(src + lo, dst + lo, hi - lo);
                        else if (g.StrideW == 2)
                            ScatterAddEven(src, dst, lo, hi, w - offset);
                        else
                            for (var ox = lo; ox < hi; ox++)
                                dst[ox * g.StrideW] += src[ox];
                    }
                }
            }
        }

        /// <summary>dst[ox] = src[2·ox] for ox in [lo, hi); vector loads stay below src[rowEnd].</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void GatherEven(float* src, float* dst, int lo, int hi, int rowEnd)
        {
            var ox = lo;
            var evens = Vector256.Create(0, 2, 4, 6, 0, 2, 4, 6);
            for (; ox + 8 <= hi && 2 * ox + 16 <= rowEnd; ox += 8)
            {
                var a = Vector256.Shuffle(Vector256.Load(src + 2 * ox), evens);
                var b = Vector256.Shuffle(Vector256.Load(src + 2 * ox + 8), evens);
                Vector256.Create(a.GetLower(), b.GetLower()).Store(dst + ox);
            }

            for (; ox < hi; ox++)
                dst[ox] = src[2 * ox];
        }

        /// <summary>dst[2·ox] += src[ox] for ox in [lo, hi); vector stores stay below dst[rowEnd].</summary>
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void ScatterAddEven(float* src, float* dst, int lo, int hi, int rowEnd)
        {
            var ox = lo;
            var even = Vector256.Create(-1, 0, -1, 0, -1, 0, -1, 0).AsSingle();
            var low = Vector256.Create(0, 0, 1, 1, 2, 2, 3, 3);
            var high = Vector256.Create(4, 4, 5, 5, 6, 6, 7, 7);
            for (; ox + 8 <= hi && 2 * ox + 16 <= rowEnd; ox += 8)
            {
                var v = Vector256.Load(src + ox);
                var d = dst + 2 * ox;
                (Vector256.Load(d) + (Vector256.Shuffle(v, low) & even)).Store(d);
                (Vector256.Load(d + 8) + (Vector256.Shuffle(v, high) & even)).Store(d + 8);
            }

            for (; ox < hi; ox++)
                dst[2 * ox] += src[ox];
        }

        /// <summary>The output columns ox whose input column ox·s − p + k lies inside [0, w).</summary>
        private static (int Lo, int Hi) ValidRange(int k, int s, int p, int w, int ow)
        {
            var lo = Math.Max(0, (p - k + s - 1) / s);
            var hi = Math.Min(ow, (w - 1 + p - k) / s + 1);
            if (w - 1 + p - k < 0)
                hi = 0;
            return (Math.Min(lo, ow), Math.Max(hi, Math.Min(lo, ow)));
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private static void AddInto(float* src, float* dst, int count)
        {
            var i = 0;
            for (; i + 8 <= count; i += 8)
                (Vector256.Load(dst + i) + Vector256.Load(src + i)).Store(dst + i);
            for (; i < count; i++)
                dst[i] += src[i];
        }
    }
}
