namespace Aigc.Neural;

/// <summary>
/// SplitMix64 (Steele, Lea, Flood 2014): a 64-bit counter hashed by a fixed mixer. Small, fast, and
/// platform-independent, so initial weights and noise are the same on every machine and runtime.
/// </summary>
public sealed class RandomSource(ulong seed)
{
    private ulong _state = seed;

    /// <summary>The SplitMix64 output function; also usable statelessly on any counter.</summary>
    public static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        return Mix(_state);
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public double NextUniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Standard normal by Box–Muller from two uniforms (u1 in (0,1] so the log is finite).</summary>
    public double NextGaussian() => Gaussian(NextUInt64(), NextUInt64());

    public static double Gaussian(ulong bits1, ulong bits2)
    {
        var u1 = ((bits1 >> 11) + 1) * (1.0 / (1UL << 53));
        var u2 = (bits2 >> 11) * (1.0 / (1UL << 53));
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public void FillUniform(Tensor t, double low, double high)
    {
        var s = t.Span;
        for (var i = 0; i < s.Length; i++)
            s[i] = (float)NextUniform(low, high);
    }

    public void FillNormal(Tensor t, double mean, double std)
    {
        var s = t.Span;
        for (var i = 0; i < s.Length; i++)
            s[i] = (float)(mean + std * NextGaussian());
    }
}
