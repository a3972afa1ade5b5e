using System.Diagnostics;
using Aigc.Imaging;
using Aigc.Imaging.Pipeline;
using NetVips;

/// <summary>
/// "png" mode: the default preset's images just before encoding (64² drawings enlarged to 256² and sharpened, pixels
/// owned as the pipeline hands them over), written by our encoder (Paeth + zlib-ng run-length, the default) and by
/// libvips' own pngsave at several settings, interleaved image by image; prints time, size and the ratios.
/// Usage: Aigc.Imaging.Bench png [images=60] [rounds=9]
/// </summary>
internal static class PngBench
{
    public static int Run(string[] args, Func<int, VipsImage> drawing, PostProcessingPipeline pipeline)
    {
        var count = args.Length > 0 ? int.Parse(args[0]) : 60;
        var rounds = args.Length > 1 ? int.Parse(args[1]) : 9;
        // Colour drawings, and grey ones as the shipped blueprint models generate them.
        Compare(count, rounds, drawing, pipeline);
        Console.WriteLine();
        Compare(count, rounds, i =>
        {
            using var colour = drawing(i);
            return colour.ToGreyscale();
        }, pipeline);
        return 0;
    }

    private static void Compare(int count, int rounds, Func<int, VipsImage> drawing, PostProcessingPipeline pipeline)
    {
        var preset = pipeline.Presets.Get(PipelinePresetCatalog.DefaultPresetName);
        var images = new List<VipsImage>();
        for (var i = 0; i < count; i++)
        {
            using var source = drawing(i);
            var output = pipeline.Run(preset, PipelineSource.FromImage(source), null);
            using var decoded = VipsImage.Decode(output.Bytes);
            images.Add(VipsImage.FromOwnedPixels(decoded.ToPixels(), decoded.Width, decoded.Height, decoded.Bands));
        }

        var encoders = new (string Name, Func<VipsImage, byte[]> Encode)[]
        {
            ("ours: Paeth + run-length (default)", image => image.EncodePng(runLength: true)),
            ("pngsave, libvips defaults", image => image.Native.PngsaveBuffer(keep: Enums.ForeignKeep.None)),
            ("pngsave level 6, Paeth", image => Save(image, 6, Enums.ForeignPngFilter.Paeth)),
            ("pngsave level 6, adaptive (all)", image => Save(image, 6, Enums.ForeignPngFilter.All)),
            ("pngsave level 2, Paeth", image => Save(image, 2, Enums.ForeignPngFilter.Paeth)),
            ("pngsave level 1, Paeth", image => Save(image, 1, Enums.ForeignPngFilter.Paeth)),
            ("pngsave level 1, sub", image => Save(image, 1, Enums.ForeignPngFilter.Sub)),
        };
        var times = encoders.Select(_ => new List<double>()).ToArray();
        var sizes = new long[encoders.Length];
        for (var round = -1; round < rounds; round++) // round -1 warms up
        {
            foreach (var image in images)
            {
                for (var e = 0; e < encoders.Length; e++)
                {
                    var start = Stopwatch.GetTimestamp();
                    var bytes = encoders[e].Encode(image);
                    if (round < 0) continue;
                    times[e].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                    if (round == 0) sizes[e] += bytes.Length;
                }
            }
        }

        Console.WriteLine($"PNG encoders on the default preset's output: {count} images of {images[0].Width}×{images[0].Height}×{images[0].Bands}, "
                          + $"{rounds} rounds interleaved, one thread; libvips {VipsImage.LibraryVersion}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Console.WriteLine($"{"encoder",-36} {"median",9} {"min",8} {"KB/image",9} {"time ÷ ours",12} {"size ÷ ours",12}");
        var ours = Median(times[0]);
        for (var e = 0; e < encoders.Length; e++)
        {
            var median = Median(times[e]);
            Console.WriteLine($"{encoders[e].Name,-36} {median,6:F3} ms {times[e].Min(),5:F3} ms {sizes[e] / 1024.0 / count,9:F1} "
                              + $"{median / ours,11:F2}× {(double)sizes[e] / sizes[0],11:F2}×");
        }

        // Both cores, as the generation service encodes (libvips' sink hands each image to its own worker threads);
        // the encoders alternate round by round, so a busy machine slows each of them alike.
        Console.WriteLine();
        var parallel = new[] { 0, 2, 5 };
        var elapsed = new double[encoders.Length];
        for (var round = 0; round < rounds; round++)
            foreach (var e in parallel)
            {
                var start = Stopwatch.GetTimestamp();
                Parallel.ForEach(images, new ParallelOptions { MaxDegreeOfParallelism = 2 }, image => encoders[e].Encode(image));
                elapsed[e] += Stopwatch.GetElapsedTime(start).TotalSeconds;
            }
        foreach (var e in parallel)
            Console.WriteLine($"{encoders[e].Name,-36} 2 threads: {rounds * count / elapsed[e],7:F0} images/s");
        foreach (var image in images) image.Dispose();
    }

    private static byte[] Save(VipsImage image, int compression, Enums.ForeignPngFilter filter) =>
        image.Native.PngsaveBuffer(compression, filter: filter, keep: Enums.ForeignKeep.None);

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
