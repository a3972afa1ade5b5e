using System.Diagnostics;
using Aigc.Imaging;
using Aigc.Imaging.Ads;

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
        using var product = VipsImage.Decode(File.ReadAllBytes(FindFixture()));
        var composition = new AdComposition(
            AdTemplateCatalog.Get(template),
            new BrandPalette(RgbColour.Parse("#0b4f9c", "primary"), RgbColour.Parse("#f59e0b", "secondary"), RgbColour.Parse("#f8fafc", "background")),
            "Inter", "Northwind Gears",
            new AdTexts("Precision you can hold", "Helical gears cut to 5 µm, shipped in a week.", "Order a sample", "Prices excl. VAT. Offer valid until 31 Dec 2026 while stocks last."),
            product);

        Console.WriteLine($"Ads benchmark: template '{template}', {AdSize.Standard.Count} sizes × PNG (zlib {AdEncoding.PngCompression}, sub filter) + JPEG (Q{AdEncoding.JpegQuality}), {rounds} rounds; {Environment.ProcessorCount} cores, libvips {VipsImage.LibraryVersion}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
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
        Console.WriteLine($"all 7 sizes, PNG + JPEG, one thread:        median {Median(sequential),6:F0} ms");
        Console.WriteLine($"all 7 sizes, PNG + JPEG, {Environment.ProcessorCount} sizes at a time: median {Median(parallel),6:F0} ms   (target < 500 ms)");

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
