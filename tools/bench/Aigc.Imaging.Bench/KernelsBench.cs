using System.Diagnostics;
using Aigc.Imaging;
using Aigc.Imaging.Kernels;
using NetVips;

/// <summary>
/// "kernels" mode: the default preset's two managed kernels against libvips' own operations on the same pixels,
/// interleaved image by image on one thread: Lanczos-3 enlargement 64→256 (libvips resize) and the 3×3 Laplacian
/// sharpen at 256² (libvips conv with the same mask, float and integer precision). Prints time, ratio and the
/// mean pixel difference. Usage: Aigc.Imaging.Bench kernels [images=60] [rounds=9]
/// </summary>
internal static class KernelsBench
{
    public static int Run(string[] args, Func<int, VipsImage> drawing)
    {
        var count = args.Length > 0 ? int.Parse(args[0]) : 60;
        var rounds = args.Length > 1 ? int.Parse(args[1]) : 9;
        var small = Enumerable.Range(0, count).Select(i =>
        {
            using var image = drawing(i);
            return VipsImage.FromOwnedPixels(image.ToPixels(), image.Width, image.Height, image.Bands);
        }).ToList();
        var large = small.Select(i => VipsImage.FromOwnedPixels(
            Lanczos3.Enlarge(i.Pixels, i.Width, i.Height, i.Bands, 256, 256), 256, 256, i.Bands)).ToList();
        using var mask = VipsImage.Matrix(3, 3, [0, -0.25, 0, -0.25, 2, -0.25, 0, -0.25, 0]);

        var cases = new (string Name, List<VipsImage> Inputs, Func<VipsImage, byte[]> Ours, Func<VipsImage, byte[]> Libvips)[]
        {
            ("enlarge 64→256 (lanczos3)", small,
                i => Lanczos3.Enlarge(i.Pixels, i.Width, i.Height, i.Bands, 256, 256),
                i => Compute(i.Native.Resize(4, Enums.Kernel.Lanczos3))),
            ("sharpen 256², libvips conv float", large,
                i => LaplacianSharpen.Apply(i.Pixels, i.Width, i.Height, i.Bands, 4),
                i => Compute(i.Native.Conv(mask.Native, Enums.Precision.Float).Cast(Enums.BandFormat.Uchar))),
            ("sharpen 256², libvips conv integer", large,
                i => LaplacianSharpen.Apply(i.Pixels, i.Width, i.Height, i.Bands, 4),
                i => Compute(i.Native.Conv(mask.Native, Enums.Precision.Integer).Cast(Enums.BandFormat.Uchar))),
        };
        Console.WriteLine($"Managed kernels against libvips {VipsImage.LibraryVersion}: {count} drawings, {rounds} rounds interleaved, one thread; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine($"{"work",-36} {"ours median",12} {"libvips median",15} {"ratio",7} {"pixel diff",12}");
        foreach (var (name, inputs, ours, libvips) in cases)
        {
            var (oursTimes, theirTimes) = (new List<double>(), new List<double>());
            double difference = 0;
            for (var round = -1; round < rounds; round++)
                foreach (var input in inputs)
                {
                    var start = Stopwatch.GetTimestamp();
                    var a = ours(input);
                    var middle = Stopwatch.GetTimestamp();
                    var b = libvips(input);
                    var end = Stopwatch.GetTimestamp();
                    if (round < 0) continue;
                    oursTimes.Add(Stopwatch.GetElapsedTime(start, middle).TotalMilliseconds);
                    theirTimes.Add(Stopwatch.GetElapsedTime(middle, end).TotalMilliseconds);
                    if (round == 0) difference += a.Zip(b, (x, y) => Math.Abs(x - y)).Average() / inputs.Count;
                }
            var (o, t) = (Median(oursTimes), Median(theirTimes));
            Console.WriteLine($"{name,-36} {o,9:F3} ms {t,12:F3} ms {t / o,6:F1}× {difference,7:F2} levels");
        }
        Console.WriteLine("ratio = libvips / ours; pixel diff: mean |ours − libvips| per sample.");
        foreach (var image in small.Concat(large)) image.Dispose();
        return 0;
    }

    private static byte[] Compute(Image image)
    {
        using (image) return image.WriteToMemory<byte>();
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
