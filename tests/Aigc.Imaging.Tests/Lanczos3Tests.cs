using Aigc.Imaging.Kernels;

namespace Aigc.Imaging.Tests;

public class Lanczos3Tests
{
    /// <summary>Direct 2-D evaluation in double precision: an independent check of the separable, vectorised code.</summary>
    private static double Reference(byte[] source, int width, int height, int bands, int newWidth, int newHeight, int x, int y, int band)
    {
        static (int Index, double Weight)[] Taps(int o, int size, int newSize)
        {
            var centre = (o + 0.5) * size / newSize - 0.5;
            var first = (int)Math.Floor(centre) - 2;
            var taps = Enumerable.Range(first, 6).Select(j => (Math.Clamp(j, 0, size - 1), Lanczos3.Kernel(centre - j))).ToArray();
            var sum = taps.Sum(t => t.Item2);
            return taps.Select(t => (t.Item1, t.Item2 / sum)).ToArray();
        }
        var value = 0.0;
        foreach (var (row, wy) in Taps(y, height, newHeight))
            foreach (var (column, wx) in Taps(x, width, newWidth))
                value += wx * wy * source[(row * width + column) * bands + band];
        return Math.Clamp(value, 0, 255);
    }

    [Theory]
    [InlineData(64, 64, 3, 512, 512)]
    [InlineData(13, 7, 4, 40, 29)]
    [InlineData(5, 9, 1, 5, 27)]
    public void Matches_a_direct_two_dimensional_evaluation(int width, int height, int bands, int newWidth, int newHeight)
    {
        var source = new byte[width * height * bands];
        new Random(width * 31 + bands).NextBytes(source);
        var result = Lanczos3.Enlarge(source, width, height, bands, newWidth, newHeight);
        var random = new Random(2);
        for (var i = 0; i < 2000; i++)
        {
            int x = random.Next(newWidth), y = random.Next(newHeight), b = random.Next(bands);
            var expected = Reference(source, width, height, bands, newWidth, newHeight, x, y, b);
            Assert.InRange(result[(y * newWidth + x) * bands + b], expected - 0.51, expected + 0.51);
        }
    }

    [Fact]
    public void Flat_images_stay_exactly_flat()
    {
        var source = Enumerable.Repeat((byte)43, 8 * 8 * 3).ToArray();
        Assert.All(Lanczos3.Enlarge(source, 8, 8, 3, 64, 64), v => Assert.Equal(43, v));
    }

    [Fact]
    public void Only_enlarges()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Lanczos3.Enlarge(new byte[16], 4, 4, 1, 2, 2));
    }
}
