using Aigc.Neural.Native.OpenBlas;

namespace Aigc.Neural.Gemm;

/// <summary>cblas_sgemm from libopenblas.so.0. OpenBLAS's thread count is process-wide.</summary>
public sealed class OpenBlasGemm : IGemm
{
    public OpenBlasGemm(int threads)
    {
        if (!OpenBlasNative.IsAvailable())
            throw new DllNotFoundException($"OpenBLAS ({OpenBlasNative.Library}) with cblas_sgemm could not be loaded.");
        Threads = threads;
        OpenBlasNative.SetNumThreads(threads);
    }

    public static bool IsAvailable => OpenBlasNative.IsAvailable();

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
            OpenBlasNative.Sgemm(OpenBlasNative.RowMajor,
                transA ? OpenBlasNative.Trans : OpenBlasNative.NoTrans,
                transB ? OpenBlasNative.Trans : OpenBlasNative.NoTrans,
                m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
        }
    }
}
