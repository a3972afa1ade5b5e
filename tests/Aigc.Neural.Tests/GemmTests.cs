using System.Runtime.Intrinsics.X86;
using Aigc.Neural.Gemm;

namespace Aigc.Neural.Tests;

public class GemmTests
{
    public static TheoryData<string, bool, bool, int, int, int> Cases()
    {
        var data = new TheoryData<string, bool, bool, int, int, int>();
        (int M, int N, int K)[] shapes = [(1, 1, 1), (7, 5, 3), (8, 32, 256), (37, 129, 300), (100, 33, 513), (200, 70, 17), (3, 3100, 40)];
        foreach (var provider in new[] { "openblas", "managed", "managed256" })
            foreach (var (m, n, k) in shapes)
                foreach (var ta in new[] { false, true })
                    foreach (var tb in new[] { false, true })
                        data.Add(provider, ta, tb, m, n, k);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Sgemm_matches_a_naive_double_product(string provider, bool transA, bool transB, int m, int n, int k)
    {
        var rng = new RandomSource(42);
        var lda = (transA ? m : k) + 3;
        var ldb = (transB ? k : n) + 1;
        var ldc = n + 2;
        var a = Fill(rng, (transA ? k : m) * lda);
        var b = Fill(rng, (transB ? n : k) * ldb);
        var c = Fill(rng, m * ldc);
        var expected = (float[])c.Clone();
        const float alpha = 0.7f, beta = -0.5f;
        for (var i = 0; i < m; i++)
            for (var j = 0; j < n; j++)
            {
                double sum = 0;
                for (var p = 0; p < k; p++)
                    sum += (double)(transA ? a[p * lda + i] : a[i * lda + p]) * (transB ? b[j * ldb + p] : b[p * ldb + j]);
                expected[i * ldc + j] = (float)(alpha * sum + beta * c[i * ldc + j]);
            }

        TestEngines.Gemm(provider, 2).Sgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

        var tolerance = 1e-5 * Math.Sqrt(k) + 1e-6;
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
                Assert.True(Math.Abs(c[i * ldc + j] - expected[i * ldc + j]) <= tolerance * (1 + Math.Abs(expected[i * ldc + j])),
                    $"C[{i},{j}] = {c[i * ldc + j]}, expected {expected[i * ldc + j]}");
            for (var j = n; j < ldc; j++)
                Assert.Equal(expected[i * ldc + j], c[i * ldc + j]);
        }
    }

    [Theory]
    [InlineData("managed")]
    [InlineData("managed256")]
    public void Managed_results_are_bit_identical_for_any_thread_count(string provider)
    {
        var rng = new RandomSource(7);
        const int m = 150, n = 700, k = 600;
        var a = Fill(rng, m * k);
        var b = Fill(rng, k * n);
        var one = new float[m * n];
        var two = new float[m * n];
        TestEngines.Gemm(provider, 1).Sgemm(false, false, m, n, k, 1f, a, k, b, n, 0f, one, n);
        TestEngines.Gemm(provider, 2).Sgemm(false, false, m, n, k, 1f, a, k, b, n, 0f, two, n);
        Assert.Equal(one, two);
    }

    [Theory]
    [InlineData("openblas")]
    [InlineData("managed")]
    public void Beta_zero_overwrites_garbage_and_k_zero_only_scales(string provider)
    {
        var gemm = TestEngines.Gemm(provider);
        var c = new[] { float.NaN, float.NaN, 3f, 4f };
        gemm.Sgemm(false, false, 2, 2, 1, 1f, new[] { 1f, 2f }, 1, new[] { 1f, 1f }, 2, 0f, c, 2);
        Assert.Equal(new[] { 1f, 1f, 2f, 2f }, c);
        var d = new[] { 1f, 2f };
        gemm.Sgemm(false, false, 1, 2, 0, 1f, [], 1, [], 2, 3f, d, 2);
        Assert.Equal(new[] { 3f, 6f }, d);
    }

    [Theory]
    [InlineData("openblas")]
    [InlineData("managed")]
    public void Too_small_buffers_are_rejected_with_the_matrix_named(string provider)
    {
        var gemm = TestEngines.Gemm(provider);
        var e = Assert.Throws<ArgumentException>(() =>
            gemm.Sgemm(false, false, 2, 2, 2, 1f, new float[3], 2, new float[4], 2, 0f, new float[4], 2));
        Assert.Contains("A needs 4", e.Message);
        e = Assert.Throws<ArgumentException>(() =>
            gemm.Sgemm(false, false, 2, 2, 2, 1f, new float[4], 2, new float[4], 1, 0f, new float[4], 2));
        Assert.Contains("leading dimension of B", e.Message);
    }

    [Fact]
    public void Configuration_picks_the_provider()
    {
        Assert.Equal("managed", new NeuralEngine(new NeuralOptions { BlasProvider = BlasProvider.Managed, Threads = 1 }).Gemm.Name);
        Assert.Equal("openblas", new NeuralEngine(new NeuralOptions { BlasProvider = BlasProvider.OpenBlas, Threads = 1 }).Gemm.Name);
        Assert.Equal("openblas", new NeuralEngine(new NeuralOptions { Threads = 1 }).Gemm.Name);
    }

    [Fact]
    public void OpenBlas_runs_the_kernels_this_cpu_allows_even_on_a_model_it_does_not_know()
    {
        // OpenBLAS 0.3.21 gave an Emerald Rapids host its SSE3 "Prescott" kernels; an operator's choice is left alone.
        if (!Avx2.IsSupported || !Fma.IsSupported || Environment.GetEnvironmentVariable("OPENBLAS_CORETYPE") is not null)
            return;
        var configuration = OpenBlasGemm.Configuration;

        string[] withAvx2 = ["Haswell", "Zen", "SkylakeX", "Cooperlake", "SapphireRapids"];
        Assert.Contains(OpenBlasGemm.CoreName, withAvx2);
        Assert.Contains(OpenBlasGemm.CoreName!, configuration!.Split(' '));
    }

    private static float[] Fill(RandomSource rng, int n)
    {
        var x = new float[n];
        for (var i = 0; i < n; i++)
            x[i] = (float)rng.NextGaussian();
        return x;
    }
}
