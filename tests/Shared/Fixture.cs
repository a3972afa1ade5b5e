using Aigc.Neural;
using Aigc.Neural.Safetensors;

namespace Aigc.Testing;

/// <summary>A PyTorch fixture written by tools/fixtures/make_fixtures.py (linked into the Neural and Generation tests).</summary>
internal sealed class Fixture(IReadOnlyDictionary<string, SafetensorsEntry> entries)
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", name);

    public static Fixture Load(string name) => new(SafetensorsFile.Read(PathOf(name + ".safetensors")));

    public IReadOnlyDictionary<string, SafetensorsEntry> Entries => entries;

    public Tensor Tensor(string name)
    {
        var e = entries[name];
        return Aigc.Neural.Tensor.FromArray(e.ToFloats(), e.Shape);
    }

    public float[] Floats(string name) => entries[name].ToFloats();

    public int[] Indices(string name) => entries[name].ToInt64().Select(v => (int)v).ToArray();

    /// <summary>max |actual − expected| / max |expected|: the error relative to the tensor's scale.</summary>
    public static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, double tolerance, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        double maxErr = 0, scale = 1e-12;
        for (var i = 0; i < expected.Length; i++)
        {
            maxErr = Math.Max(maxErr, Math.Abs(actual[i] - expected[i]));
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }

        Assert.True(maxErr / scale <= tolerance, $"{what}: max relative error {maxErr / scale:E2} > {tolerance:E0}");
    }
}
