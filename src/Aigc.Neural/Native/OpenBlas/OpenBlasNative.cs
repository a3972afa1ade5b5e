using System.Runtime.InteropServices;

namespace Aigc.Neural.Native.OpenBlas;

/// <summary>P/Invoke surface of OpenBLAS (Debian libopenblas0-pthread).</summary>
internal static partial class OpenBlasNative
{
    internal const string Library = "libopenblas.so.0";

    internal const int RowMajor = 101;
    internal const int NoTrans = 111;
    internal const int Trans = 112;

    [LibraryImport(Library, EntryPoint = "cblas_sgemm")]
    internal static unsafe partial void Sgemm(
        int order, int transA, int transB, int m, int n, int k,
        float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);

    [LibraryImport(Library, EntryPoint = "openblas_set_num_threads")]
    internal static partial void SetNumThreads(int threads);

    [LibraryImport(Library, EntryPoint = "openblas_get_num_threads")]
    internal static partial int GetNumThreads();

    /// <summary>True when the shared library can be loaded on this machine.</summary>
    internal static bool IsAvailable()
    {
        if (!NativeLibrary.TryLoad(Library, typeof(OpenBlasNative).Assembly, null, out var handle))
            return false;
        var ok = NativeLibrary.TryGetExport(handle, "cblas_sgemm", out _);
        return ok;
    }
}
