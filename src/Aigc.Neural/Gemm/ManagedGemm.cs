using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Aigc.Neural.Gemm;

/// <summary>
/// Packed GEMM in managed code: B is packed into KC×NR panels, A into MR×KC panels, and a register-blocked
/// micro-kernel accumulates an MR×NR tile of C. 8×32 with Vector512 (16 accumulators: larger tiles make the
/// .NET 10 JIT spill), 6×16 with Vector256. Work is split statically over threads along the larger of m and n;
/// every element of C is summed in the same order whatever the split, so results do not depend on the thread count.
/// </summary>
public sealed unsafe class ManagedGemm : IGemm
{
    private const int Kc = 256;
    private const int Mc = 96;
    private const int Nc = 3072;
    private const long ParallelThreshold = 1L << 18;

    [ThreadStatic] private static float[]? t_packA;
    [ThreadStatic] private static float[]? t_packB;

    private readonly bool _wide;
    private readonly int _mr;
    private readonly int _nr;

    public ManagedGemm(int threads) : this(threads, Vector512.IsHardwareAccelerated)
    {
    }

    internal ManagedGemm(int threads, bool useVector512)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Threads = threads;
        _wide = useVector512;
        _mr = _wide ? 8 : 6;
        _nr = _wide ? 32 : 16;
    }

    public string Name => "managed";

    public int Threads { get; }

    internal string Kernel => _wide ? "8x32 Vector512" : "6x16 Vector256";

    public void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        GemmArguments.Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0)
            return;
        GemmArguments.ScaleC(m, n, beta, c, ldc);
        if (k == 0 || alpha == 0f)
            return;
        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            var job = new Job(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, pc, ldc);
            var parts = (long)m * n * k < ParallelThreshold ? 1 : Threads;
            if (parts == 1)
            {
                Run(job, 0, m, 0, n);
                return;
            }

            var splitN = n >= m;
            var unit = splitN ? _nr : _mr;
            var total = splitN ? n : m;
            var chunks = (total + unit - 1) / unit;
            parts = Math.Min(parts, chunks);
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, part =>
            {
                var from = (int)Math.Min(total, (long)chunks * part / parts * unit);
                var to = (int)Math.Min(total, (long)chunks * (part + 1) / parts * unit);
                if (splitN)
                    Run(job, 0, m, from, to);
                else
                    Run(job, from, to, 0, n);
            });
        }
    }

    private readonly struct Job(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float* c, int ldc)
    {
        public readonly bool TransA = transA;
        public readonly bool TransB = transB;
        public readonly int M = m;
        public readonly int N = n;
        public readonly int K = k;
        public readonly float Alpha = alpha;
        public readonly float* A = a;
        public readonly int Lda = lda;
        public readonly float* B = b;
        public readonly int Ldb = ldb;
        public readonly float* C = c;
        public readonly int Ldc = ldc;
    }

    private void Run(in Job job, int i0, int i1, int j0, int j1)
    {
        var packA = t_packA ??= new float[Mc * Kc];
        var packB = t_packB ??= new float[Kc * (Nc + 32)];
        fixed (float* pA = packA)
        fixed (float* pB = packB)
        {
            for (var jc = j0; jc < j1; jc += Nc)
            {
                var nc = Math.Min(Nc, j1 - jc);
                for (var pc = 0; pc < job.K; pc += Kc)
                {
                    var kc = Math.Min(Kc, job.K - pc);
                    PackB(job, pc, jc, kc, nc, pB);
                    for (var ic = i0; ic < i1; ic += Mc)
                    {
                        var mc = Math.Min(Mc, i1 - ic);
                        PackA(job, ic, pc, mc, kc, pA);
                        for (var jr = 0; jr < nc; jr += _nr)
                        {
                            var nr = Math.Min(_nr, nc - jr);
                            for (var ir = 0; ir < mc; ir += _mr)
                            {
                                var mr = Math.Min(_mr, mc - ir);
                                var cTile = job.C + (long)(ic + ir) * job.Ldc + jc + jr;
                                if (_wide)
                                    Kernel8x32(kc, pA + ir * kc, pB + jr * kc, cTile, job.Ldc, job.Alpha, mr, nr);
                                else
                                    Kernel6x16(kc, pA + ir * kc, pB + jr * kc, cTile, job.Ldc, job.Alpha, mr, nr);
                            }
                        }
                    }
                }
            }
        }
    }

    private void PackA(in Job job, int ic, int pc, int mc, int kc, float* dst)
    {
        var mr = _mr;
        for (var ir = 0; ir < mc; ir += mr)
        {
            var rows = Math.Min(mr, mc - ir);
            var panel = dst + ir * kc;
            for (var p = 0; p < kc; p++)
            {
                var o = panel + p * mr;
                if (job.TransA)
                {
                    var src = job.A + (long)(pc + p) * job.Lda + ic + ir;
                    for (var r = 0; r < rows; r++)
                        o[r] = src[r];
                }
                else
                {
                    var src = job.A + (long)(ic + ir) * job.Lda + pc + p;
                    for (var r = 0; r < rows; r++)
                        o[r] = src[(long)r * job.Lda];
                }

                for (var r = rows; r < mr; r++)
                    o[r] = 0f;
            }
        }
    }

    private void PackB(in Job job, int pc, int jc, int kc, int nc, float* dst)
    {
        var nr = _nr;
        for (var jr = 0; jr < nc; jr += nr)
        {
            var cols = Math.Min(nr, nc - jr);
            var panel = dst + jr * kc;
            for (var p = 0; p < kc; p++)
            {
                var o = panel + p * nr;
                if (job.TransB)
                {
                    var src = job.B + (long)(jc + jr) * job.Ldb + pc + p;
                    for (var j = 0; j < cols; j++)
                        o[j] = src[(long)j * job.Ldb];
                }
                else
                {
                    new ReadOnlySpan<float>(job.B + (long)(pc + p) * job.Ldb + jc + jr, cols).CopyTo(new Span<float>(o, cols));
                }

                for (var j = cols; j < nr; j++)
                    o[j] = 0f;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel8x32(int kc, float* a, float* b, float* c, int ldc, float alpha, int mr, int nr)
    {
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector512<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector512<float> c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var x = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(x, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(x, b1, c01);
            x = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(x, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(x, b1, c11);
            x = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(x, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(x, b1, c21);
            x = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(x, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(x, b1, c31);
            x = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(x, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(x, b1, c41);
            x = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(x, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(x, b1, c51);
            x = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(x, b0, c60);
            c61 = Vector512.FusedMultiplyAdd(x, b1, c61);
            x = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(x, b0, c70);
            c71 = Vector512.FusedMultiplyAdd(x, b1, c71);
            a += 8;
            b += 32;
        }

        var tile = stackalloc float[8 * 32];
        (c00 * alpha).Store(tile); (c01 * alpha).Store(tile + 16);
        (c10 * alpha).Store(tile + 32); (c11 * alpha).Store(tile + 48);
        (c20 * alpha).Store(tile + 64); (c21 * alpha).Store(tile + 80);
        (c30 * alpha).Store(tile + 96); (c31 * alpha).Store(tile + 112);
        (c40 * alpha).Store(tile + 128); (c41 * alpha).Store(tile + 144);
        (c50 * alpha).Store(tile + 160); (c51 * alpha).Store(tile + 176);
        (c60 * alpha).Store(tile + 192); (c61 * alpha).Store(tile + 208);
        (c70 * alpha).Store(tile + 224); (c71 * alpha).Store(tile + 240);
        AddTile(tile, 32, c, ldc, mr, nr);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel6x16(int kc, float* a, float* b, float* c, int ldc, float alpha, int mr, int nr)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default, c30 = default, c31 = default;
        Vector256<float> c40 = default, c41 = default, c50 = default, c51 = default;
        for (var p = 0; p < kc; p++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var x = Vector256.Create(a[0]);
            c00 = Vector256.FusedMultiplyAdd(x, b0, c00);
            c01 = Vector256.FusedMultiplyAdd(x, b1, c01);
            x = Vector256.Create(a[1]);
            c10 = Vector256.FusedMultiplyAdd(x, b0, c10);
            c11 = Vector256.FusedMultiplyAdd(x, b1, c11);
            x = Vector256.Create(a[2]);
            c20 = Vector256.FusedMultiplyAdd(x, b0, c20);
            c21 = Vector256.FusedMultiplyAdd(x, b1, c21);
            x = Vector256.Create(a[3]);
            c30 = Vector256.FusedMultiplyAdd(x, b0, c30);
            c31 = Vector256.FusedMultiplyAdd(x, b1, c31);
            x = Vector256.Create(a[4]);
            c40 = Vector256.FusedMultiplyAdd(x, b0, c40);
            c41 = Vector256.FusedMultiplyAdd(x, b1, c41);
            x = Vector256.Create(a[5]);
            c50 = Vector256.FusedMultiplyAdd(x, b0, c50);
            c51 = Vector256.FusedMultiplyAdd(x, b1, c51);
            a += 6;
            b += 16;
        }

        var tile = stackalloc float[6 * 16];
        (c00 * alpha).Store(tile); (c01 * alpha).Store(tile + 8);
        (c10 * alpha).Store(tile + 16); (c11 * alpha).Store(tile + 24);
        (c20 * alpha).Store(tile + 32); (c21 * alpha).Store(tile + 40);
        (c30 * alpha).Store(tile + 48); (c31 * alpha).Store(tile + 56);
        (c40 * alpha).Store(tile + 64); (c41 * alpha).Store(tile + 72);
        (c50 * alpha).Store(tile + 80); (c51 * alpha).Store(tile + 88);
        AddTile(tile, 16, c, ldc, mr, nr);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddTile(float* tile, int tileStride, float* c, int ldc, int mr, int nr)
    {
        for (var r = 0; r < mr; r++)
        {
            var src = tile + r * tileStride;
            var dst = c + (long)r * ldc;
            var j = 0;
            for (; j + 8 <= nr; j += 8)
                (Vector256.Load(dst + j) + Vector256.Load(src + j)).Store(dst + j);
            for (; j < nr; j++)
                dst[j] += src[j];
        }
    }
}
