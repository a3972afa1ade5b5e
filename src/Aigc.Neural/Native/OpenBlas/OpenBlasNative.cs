using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Aigc.Neural.Native.OpenBlas;

/// <summary>P/Invoke surface of OpenBLAS (Debian libopenblas0-pthread).</summary>
internal static partial class OpenBlasNative
{
    internal const string Library = "libopenblas.so.0";

    private const string CoreTypeVariable = "OPENBLAS_CORETYPE";

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

    /// <summary>Build and CPU-kernel description, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64"; a static string.</summary>
    [LibraryImport(Library, EntryPoint = "openblas_get_config")]
    internal static partial nint GetConfig();

    /// <summary>The kernel set in use, e.g. "SkylakeX" or "Prescott"; a static string.</summary>
    [LibraryImport(Library, EntryPoint = "openblas_get_corename")]
    internal static partial nint GetCoreName();

    private static readonly Lazy<bool> Loaded = new(Load);

    /// <summary>True when the shared library can be loaded on this machine.</summary>
    internal static bool IsAvailable() => Loaded.Value;

    private static bool Load()
    {
        ChooseCoreType();
        if (!NativeLibrary.TryLoad(Library, typeof(OpenBlasNative).Assembly, null, out var handle))
            return false;
        return NativeLibrary.TryGetExport(handle, "cblas_sgemm", out _);
    }

    /// <summary>
    /// Names OpenBLAS's kernels before it loads, unless the operator did (OPENBLAS_CORETYPE). OpenBLAS 0.3.21 picks
    /// kernels from a table of CPU models and gives a model newer than the table its SSE3 "Prescott" kernels: on an
    /// Emerald Rapids host (family 6, model 207) GEMM ran 3–6× slower than with the AVX-512 kernels the CPU has
    /// (docs/benchmarks.md). Choosing by features instead is what later OpenBLAS
    /// releases do. AVX-512 kernels only on Intel: on AMD, OpenBLAS itself uses the AVX2 ones.
    /// </summary>
    private static void ChooseCoreType()
    {
        if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(CoreTypeVariable)))
            return;
        var core = IsIntel() && Avx512F.IsSupported && Avx512BW.IsSupported && Avx512DQ.IsSupported && Avx512CD.IsSupported && Avx512F.VL.IsSupported
            ? "SkylakeX"
            : Avx2.IsSupported && Fma.IsSupported ? "Haswell" : null;
        // OpenBLAS reads the native environment when it loads; Environment.SetEnvironmentVariable does not reach it.
        // Should setenv fail (out of memory), OpenBLAS chooses as it would have: slower, not wrong.
        if (core is not null)
            SetEnv(CoreTypeVariable, core, overwrite: 0);
    }

    private static bool IsIntel()
    {
        if (!X86Base.IsSupported)
            return false;
        var (_, ebx, ecx, edx) = X86Base.CpuId(0, 0);
        return (ebx, edx, ecx) == (0x756E6547, 0x49656E69, 0x6C65746E);
    }

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
