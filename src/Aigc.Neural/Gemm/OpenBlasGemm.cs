using Aigc.Neural.Native.OpenBlas;

namespace Aigc.Neural.Gemm;

/// <summary>
/// cblas_sgemm from libopenblas.so.0. OpenBLAS itself runs single-threaded; with more threads the product is split
/// statically into column (or row) blocks run on our worker threads, one cblas_sgemm each. OpenBLAS's own workers
/// busy-wait after each call and starved the .NET threads doing im2col, batch norm and activations in between.
/// </summary>
public sealed class OpenBlasGemm : IGemm
{
    private readonly bool _split;

    public OpenBlasGemm(int threads) : this(threads, split: true)
    {
    }

    private OpenBlasGemm(int threads, bool split)
    {
        if (!OpenBlasNative.IsAvailable())
            throw new DllNotFoundException($"OpenBLAS ({OpenBlasNative.Library}) with cblas_sgemm could not be loaded.");
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Threads = threads;
        _split = split;
        OpenBlasNative.SetNumThreads(split ? 1 : threads);
    }

    /// <summary>
    /// Runs <paramref name="body"/> with OpenBLAS's own threading (for measuring its ceiling), then returns
    /// OpenBLAS to one thread. Not for use while other products run.
    /// </summary>
    internal static void WithNativeThreads(int threads, Action<IGemm> body)
    {
        try
        {
            body(new OpenBlasGemm(threads, split: false));
        }
        finally
        {
            OpenBlasNative.SetNumThreads(1);
        }
    }

    public static bool IsAvailable => OpenBlasNative.IsAvailable();

    /// <summary>OpenBLAS's own description of its version and the kernel it picked for this CPU; null when it does not load.</summary>
    public static string? Configuration =>
        IsAvailable ? System.Runtime.InteropServices.Marshal.PtrToStringUTF8(OpenBlasNative.GetConfig())?.Trim() : null;

    /// <summary>The kernel set OpenBLAS runs on this CPU ("SkylakeX", "Haswell", "Prescott", …); null when it does not load.</summary>
    public static string? CoreName =>
        IsAvailable ? System.Runtime.InteropServices.Marshal.PtrToStringUTF8(OpenBlasNative.GetCoreName())?.Trim() : null;

    public string Name => "openblas";

    public int Threads { get; }

    public unsafe void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        GemmArguments.Validate(transA, transB, m, n, k, a.Length, lda, b.Length, ldb, c.Length, ldc);
        if (m == 0 || n == 0)
            return;
        if (k == 0 || alpha == 0f)
        {
            GemmArguments.ScaleC(m, n, beta, c, ldc);
            return;
        }

        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            var parts = !_split || (long)m * n * k < ParallelThreshold ? 1 : Threads;
            if (parts == 1)
            {
                Call(transA, transB, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
                return;
            }

            // Split the larger of m and n into equal blocks aligned to 16 (whole cache lines of C).
            var splitN = n >= m;
            var total = splitN ? n : m;
            var chunks = (total + 15) / 16;
            parts = Math.Min(parts, chunks);
            var (ia, ib, ic) = ((nint)pa, (nint)pb, (nint)pc);
            WorkerPool.For(Threads).Run(parts, part =>
            {
                var from = (int)Math.Min(total, (long)chunks * part / parts * 16);
                var to = (int)Math.Min(total, (long)chunks * (part + 1) / parts * 16);
                if (to <= from)
                    return;
                var a0 = (float*)ia;
                var b0 = (float*)ib;
                var c0 = (float*)ic;
                if (splitN)
                    Call(transA, transB, m, to - from, k, alpha, a0, lda, transB ? b0 + (long)from * ldb : b0 + from, ldb, beta, c0 + from, ldc);
                else
                    Call(transA, transB, to - from, n, k, alpha, transA ? a0 + from : a0 + (long)from * lda, lda, b0, ldb, beta, c0 + (long)from * ldc, ldc);
            });
        }
    }

    private const long ParallelThreshold = 1L << 18;

    private static unsafe void Call(bool transA, bool transB, int m, int n, int k, float alpha,
        float* a, int lda, float* b, int ldb, float beta, float* c, int ldc)
    {
        OpenBlasNative.Sgemm(OpenBlasNative.RowMajor,
            transA ? OpenBlasNative.Trans : OpenBlasNative.NoTrans,
            transB ? OpenBlasNative.Trans : OpenBlasNative.NoTrans,
            m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }
}
