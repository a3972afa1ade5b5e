namespace Aigc.Generation.Evaluation;

/// <summary>
/// Fréchet distance between Gaussians fitted to two feature sets:
/// ‖μ₁ − μ₂‖² + Tr(Σ₁) + Tr(Σ₂) − 2·Tr((Σ₁^½ Σ₂ Σ₁^½)^½), with symmetric eigendecompositions (Jacobi) in doubles.
/// Here the features are the blueprint classifier's, so values are not Inception FID and not comparable with it.
/// </summary>
public static class FrechetDistance
{
    public static double Compute(IReadOnlyList<float[]> a, IReadOnlyList<float[]> b)
    {
        if (a.Count < 2 || b.Count < 2)
            throw new ArgumentException($"Fréchet distance needs at least 2 samples per set (got {a.Count} and {b.Count}).");
        var (muA, covA) = Moments(a);
        var (muB, covB) = Moments(b);
        var d = muA.Length;
        double meanTerm = 0;
        for (var i = 0; i < d; i++)
            meanTerm += (muA[i] - muB[i]) * (muA[i] - muB[i]);
        var rootA = SquareRoot(covA, d);
        var product = Multiply(Multiply(rootA, covB, d), rootA, d);
        var (values, _) = Eigen(product, d);
        var traceRoot = values.Sum(v => Math.Sqrt(Math.Max(v, 0)));
        var trace = 0.0;
        for (var i = 0; i < d; i++)
            trace += covA[i * d + i] + covB[i * d + i];
        return Math.Max(meanTerm + trace - 2 * traceRoot, 0);
    }

    /// <summary>Mean per-dimension variance (Tr Σ / d): the spread the mode-collapse check compares.</summary>
    public static double MeanVariance(IReadOnlyList<float[]> set)
    {
        var (_, cov) = Moments(set);
        var d = set[0].Length;
        var trace = 0.0;
        for (var i = 0; i < d; i++)
            trace += cov[i * d + i];
        return trace / d;
    }

    private static (double[] Mean, double[] Covariance) Moments(IReadOnlyList<float[]> set)
    {
        var d = set[0].Length;
        var mean = new double[d];
        foreach (var x in set)
            for (var i = 0; i < d; i++)
                mean[i] += x[i];
        for (var i = 0; i < d; i++)
            mean[i] /= set.Count;
        var cov = new double[d * d];
        var centred = new double[d];
        foreach (var x in set)
        {
            for (var i = 0; i < d; i++)
                centred[i] = x[i] - mean[i];
            for (var i = 0; i < d; i++)
                for (var j = i; j < d; j++)
                    cov[i * d + j] += centred[i] * centred[j];
        }

        for (var i = 0; i < d; i++)
            for (var j = i; j < d; j++)
                cov[j * d + i] = cov[i * d + j] /= set.Count - 1;
        return (mean, cov);
    }

    private static double[] SquareRoot(double[] symmetric, int d)
    {
        var (values, vectors) = Eigen(symmetric, d);
        var result = new double[d * d];
        for (var k = 0; k < d; k++)
        {
            var s = Math.Sqrt(Math.Max(values[k], 0));
            for (var i = 0; i < d; i++)
                for (var j = 0; j < d; j++)
                    result[i * d + j] += vectors[i * d + k] * s * vectors[j * d + k];
        }

        return result;
    }

    private static double[] Multiply(double[] x, double[] y, int d)
    {
        var r = new double[d * d];
        for (var i = 0; i < d; i++)
            for (var k = 0; k < d; k++)
            {
                var v = x[i * d + k];
                for (var j = 0; j < d; j++)
                    r[i * d + j] += v * y[k * d + j];
            }

        return r;
    }

    /// <summary>Cyclic Jacobi: eigenvalues and column eigenvectors of a symmetric matrix (symmetrised first).</summary>
    private static (double[] Values, double[] Vectors) Eigen(double[] matrix, int d)
    {
        var a = new double[d * d];
        for (var i = 0; i < d; i++)
            for (var j = 0; j < d; j++)
                a[i * d + j] = (matrix[i * d + j] + matrix[j * d + i]) / 2;
        var v = new double[d * d];
        for (var i = 0; i < d; i++)
            v[i * d + i] = 1;
        for (var sweep = 0; sweep < 100; sweep++)
        {
            double off = 0, total = 0;
            for (var i = 0; i < d; i++)
                for (var j = 0; j < d; j++)
                {
                    total += a[i * d + j] * a[i * d + j];
                    if (i != j)
                        off += a[i * d + j] * a[i * d + j];
                }

            if (off <= 1e-22 * Math.Max(total, 1e-300))
                break;
            for (var p = 0; p < d - 1; p++)
                for (var q = p + 1; q < d; q++)
                {
                    var apq = a[p * d + q];
                    if (Math.Abs(apq) < 1e-300)
                        continue;
                    var theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
                    var t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0)
                        t = 1;
                    var c = 1 / Math.Sqrt(t * t + 1);
                    var s = t * c;
                    for (var k = 0; k < d; k++)
                    {
                        var akp = a[k * d + p];
                        var akq = a[k * d + q];
                        a[k * d + p] = c * akp - s * akq;
                        a[k * d + q] = s * akp + c * akq;
                    }

                    for (var k = 0; k < d; k++)
                    {
                        var apk = a[p * d + k];
                        var aqk = a[q * d + k];
                        a[p * d + k] = c * apk - s * aqk;
                        a[q * d + k] = s * apk + c * aqk;
                    }

                    for (var k = 0; k < d; k++)
                    {
                        var vkp = v[k * d + p];
                        var vkq = v[k * d + q];
                        v[k * d + p] = c * vkp - s * vkq;
                        v[k * d + q] = s * vkp + c * vkq;
                    }
                }
        }

        var values = new double[d];
        for (var i = 0; i < d; i++)
            values[i] = a[i * d + i];
        return (values, v);
    }
}
