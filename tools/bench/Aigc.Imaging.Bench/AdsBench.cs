using System.Diagnostics;
using Aigc.Imaging;
using Aigc.Imaging.Ads;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

/// <summary>
/// "ads" mode: renders one composition at all seven standard sizes and encodes each as PNG and JPEG, the work of
/// "render all" in the portal, sequentially and with the sizes spread over the cores; prints medians.
/// Usage: Aigc.Imaging.Bench ads [rounds=15] [output folder for the PNGs and a contact sheet]
/// </summary>
internal static class AdsBench
{
    public static int Run(string[] args)
    {
        var rounds = Math.Max(1, args.Length > 0 ? int.Parse(args[0]) : 15);
        var output = args.Length > 1 ? Directory.CreateDirectory(args[1]).FullName : null;
        var template = args.Length > 2 ? args[2] : "hero";
        // As the portal runs it: one libvips thread per image, sizes spread over the cores (Ads:RenderConcurrency).
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Imaging:ThreadsPerImage"] = "1" }).Build();
        using var services = new ServiceCollection().AddImaging(configuration).BuildServiceProvider();
        _ = services.GetRequiredService<Aigc.Imaging.Pipeline.PipelinePresetCatalog>();
        using var product = VipsImage.Decode(File.ReadAllBytes(FindFixture()));
        var composition = new AdComposition(
            AdTemplateCatalog.Get(template),
            new BrandPalette(RgbColour.Parse("#0b4f9c", "primary"), RgbColour.Parse("#f59e0b", "secondary"), RgbColour.Parse("#f8fafc", "background")),
            "Inter", "Northwind Gears",
            new AdTexts("Precision you can hold", "Helical gears cut to 5 µm, shipped in a week.", "Order a sample", "Prices excl. VAT. Offer valid until 31 Dec 2026 while stocks last."),
            product);

        Console.WriteLine($"Ads benchmark: template '{template}', {AdSize.Standard.Count} sizes × PNG (zlib {AdEncoding.PngCompression}, Paeth filter) + JPEG (Q{AdEncoding.JpegQuality}), {rounds} rounds; {Environment.ProcessorCount} cores, libvips {VipsImage.LibraryVersion}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        var sequential = new List<double>();
        var parallel = new List<double>();
        var perSize = AdSize.Standard.ToDictionary(s => s, _ => new List<(double Render, double Png, double Jpeg, int PngBytes, int JpegBytes)>());
        for (var round = -1; round < rounds; round++) // round -1 warms up (fonts, templates, JIT)
        {
            var clock = Stopwatch.StartNew();
            foreach (var size in AdSize.Standard)
            {
                var t0 = Stopwatch.GetTimestamp();
                using var rendering = AdRenderer.Render(composition, size);
                var t1 = Stopwatch.GetTimestamp();
                var png = AdEncoding.Png(rendering.Image);
                var t2 = Stopwatch.GetTimestamp();
                var jpeg = AdEncoding.Jpeg(rendering.Image);
                var t3 = Stopwatch.GetTimestamp();
                if (round >= 0) perSize[size].Add((Ms(t0, t1), Ms(t1, t2), Ms(t2, t3), png.Length, jpeg.Length));
            }
            if (round >= 0) sequential.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            Parallel.ForEach(AdSize.Standard, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, size =>
            {
                using var rendering = AdRenderer.Render(composition, size);
                _ = AdEncoding.Png(rendering.Image);
                _ = AdEncoding.Jpeg(rendering.Image);
            });
            if (round >= 0) parallel.Add(clock.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine();
        Console.WriteLine($"{"size",-10} {"render",9} {"PNG",9} {"JPEG",9} {"PNG KiB",8} {"JPEG KiB",9}");
        foreach (var (size, samples) in perSize)
            Console.WriteLine($"{size,-10} {Median(samples.Select(s => s.Render)),6:F1} ms {Median(samples.Select(s => s.Png)),6:F1} ms {Median(samples.Select(s => s.Jpeg)),6:F1} ms {samples[0].PngBytes / 1024,8} {samples[0].JpegBytes / 1024,9}");
        Console.WriteLine();
        Console.WriteLine($"all 7 sizes, PNG + JPEG, one size at a time:  median {Median(sequential),6:F0} ms");
        Console.WriteLine($"all 7 sizes, PNG + JPEG, {Environment.ProcessorCount} sizes at a time:   median {Median(parallel),6:F0} ms   (target < 500 ms)");

        // Why these levels: the largest size encoded at the alternatives (ads are flat colour and sharp text).
        using (var story = AdRenderer.Render(composition, new AdSize(1080, 1920)))
        {
            Console.WriteLine();
            Console.WriteLine("1080x1920 encoders (median of 7):");
            foreach (var level in new[] { 1, 2, 4, 6, 9 })
                Report($"PNG zlib {level}, Paeth filter", () => story.Image.EncodePng(level));
            Report("PNG run-length, Paeth filter", () => story.Image.EncodePng(runLength: true));
            foreach (var quality in new[] { 80, 85, 89, 90, 95 })
                Report($"JPEG Q{quality}{(quality < 90 ? " (4:2:0)" : " (4:4:4)")}", () => story.Image.EncodeJpeg(quality));
        }

        if (output is not null)
        {
            var renderings = AdSize.Standard.Select(size => AdRenderer.Render(composition, size)).ToList();
            foreach (var rendering in renderings)
            {
                File.WriteAllBytes(Path.Combine(output, $"{template}_{rendering.Size}.png"), AdEncoding.Png(rendering.Image));
                foreach (var warning in rendering.Warnings) Console.WriteLine($"warning: {warning.Message}");
            }
            using var sheet = AdContactSheet.Render(renderings);
            File.WriteAllBytes(Path.Combine(output, $"{template}_sheet.png"), sheet.EncodePng(6));
            renderings.ForEach(r => r.Dispose());
            Console.WriteLine($"wrote {output}");
        }
        return 0;
    }

    private static void Report(string name, Func<byte[]> encode)
    {
        var times = new List<double>();
        var bytes = 0;
        for (var i = 0; i < 7; i++)
        {
            var start = Stopwatch.GetTimestamp();
            bytes = encode().Length;
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        Console.WriteLine($"  {name,-26} {Median(times),6:F1} ms {bytes / 1024,6} KiB");
    }

    private static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    /// <summary>A real generator output (the shipped model's sample sheet, one tile, upscaled like the default preset).</summary>
    private static string FindFixture()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Aigc.Imaging.Tests", "Ads", "blueprint-gear.png");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("tests/Aigc.Imaging.Tests/Ads/blueprint-gear.png not found above the bench's folder.");
    }
}
