namespace Aigc.Neural.Gemm;

/// <summary>
/// Single-precision matrix product on row-major matrices: C = alpha * op(A) * op(B) + beta * C,
/// where op(A) is m×k and op(B) is k×n. Same contract as cblas_sgemm with CblasRowMajor.
/// </summary>
public interface IGemm
{
    /// <summary>"openblas" or "managed".</summary>
    string Name { get; }

    int Threads { get; }

    void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc);
}

internal static class GemmArguments
{
    public static void Validate(bool transA, bool transB, int m, int n, int k,
        int aLength, int lda, int bLength, int ldb, int cLength, int ldc)
    {
        if (m < 0 || n < 0 || k < 0)
            throw new ArgumentOutOfRangeException(nameof(m), $"sgemm: negative size m={m} n={n} k={k}.");
        Check("A", transA ? k : m, transA ? m : k, aLength, lda);
        Check("B", transB ? n : k, transB ? k : n, bLength, ldb);
        Check("C", m, n, cLength, ldc);
    }

    /// <summary>C = beta * C; beta 0 clears (NaNs in C do not survive, as in BLAS).</summary>
    public static void ScaleC(int m, int n, float beta, Span<float> c, int ldc)
    {
        if (beta == 1f)
            return;
        for (var i = 0; i < m; i++)
        {
            var row = c.Slice(i * ldc, n);
            if (beta == 0f)
                row.Clear();
            else
                for (var j = 0; j < row.Length; j++)
                    row[j] *= beta;
        }
    }

    private static void Check(string name, int rows, int cols, int length, int ld)
    {
        if (rows == 0 || cols == 0)
            return;
        if (ld < cols)
            throw new ArgumentException($"sgemm: leading dimension of {name} is {ld}, less than its {cols} columns.");
        if ((long)(rows - 1) * ld + cols > length)
            throw new ArgumentException($"sgemm: {name} needs {(long)(rows - 1) * ld + cols} elements, got {length}.");
    }
}
