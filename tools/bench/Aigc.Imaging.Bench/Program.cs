using System.Diagnostics;
using Aigc.Imaging;
using Aigc.Imaging.Pipeline;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// Runs the same work through our pipeline (one image at a time, one libvips thread), through ImageMagick's mogrify
// over the same files (one process per batch, so its start-up is amortised) and through ImageSharp 2.1.13, interleaved,
// and prints per-image times and the ratios. Usage: Aigc.Imaging.Bench [images=60] [rounds=7],
// Aigc.Imaging.Bench ads (see AdsBench), png (see PngBench) or kernels (see KernelsBench).
if (args is ["ads", ..]) return AdsBench.Run(args[1..]);
// "png" and "kernels" read their own arguments; the comparison's are numbers.
var images = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 60;
var rounds = args.Length > 1 && int.TryParse(args[1], out var r) ? r : 7;

var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Imaging:ThreadsPerImage"] = "1",
    ["Imaging:Concurrency"] = "1",
    ["Imaging:Presets:upscale512:0:step"] = "upscale", ["Imaging:Presets:upscale512:0:size"] = "512",
    ["Imaging:Presets:upscale512:1:step"] = "sharpen",
    ["Imaging:Presets:upscale512:2:step"] = "encode", ["Imaging:Presets:upscale512:2:compression"] = "1",
    ["Imaging:Presets:blueprint512:0:step"] = "upscale", ["Imaging:Presets:blueprint512:0:size"] = "512",
    ["Imaging:Presets:blueprint512:1:step"] = "blueprint",
    ["Imaging:Presets:blueprint512:2:step"] = "encode", ["Imaging:Presets:blueprint512:2:compression"] = "1",
}).Build();
using var services = new ServiceCollection().AddImaging(configuration).BuildServiceProvider();
var pipeline = services.GetRequiredService<PostProcessingPipeline>();
if (args is ["png", ..]) return PngBench.Run(args[1..], SampleDrawing, pipeline);
if (args is ["kernels", ..]) return KernelsBench.Run(args[1..], SampleDrawing);

var root = Directory.CreateTempSubdirectory("aigc-imaging-bench-");
var inputs = Directory.CreateDirectory(Path.Combine(root.FullName, "in"));
var ours = Directory.CreateDirectory(Path.Combine(root.FullName, "ours"));
var theirs = Directory.CreateDirectory(Path.Combine(root.FullName, "magick"));
var sharp = Directory.CreateDirectory(Path.Combine(root.FullName, "imagesharp"));
for (var i = 0; i < images; i++)
{
    using var drawing = SampleDrawing(i);
    File.WriteAllBytes(Path.Combine(inputs.FullName, $"{i:D4}.png"), drawing.EncodePng());
}
var files = inputs.GetFiles("*.png").Select(f => f.FullName).Order().ToArray();

// The same operations in ImageMagick: Lanczos resize, the same 3×3 Laplacian kernel, the Paeth filter (4) and the same zlib
// level or, for run-length matching, zlib's Z_RLE strategy (3).
static string Png(EncodeSettings png) =>
    $"-strip -define png:compression-level={png.Compression} -define png:compression-filter=4{(png.RunLength ? " -define png:compression-strategy=3" : "")}";
var level1 = new EncodeSettings(ImageFormat.Png, Compression: 1);
const string Laplacian = "-morphology Convolve \"3x3: 0,-0.25,0 -0.25,2,-0.25 0,-0.25,0\"";
// ImageSharp (no run-length matching in its deflate) writes Paeth at level 1 in every row: its fastest setting.
var cases = new (string Name, string Preset, string Magick, int? SharpSize, bool SameOutput)[]
{
    ("64→512 lanczos3 + sharpen + PNG", "upscale512", $"-filter Lanczos -resize 512x512 {Laplacian} {Png(level1)}", 512, true),
    ("default preset 64→256", PipelinePresetCatalog.DefaultPresetName, $"-filter Lanczos -resize 256x256 {Laplacian} {Png(EncodeSettings.DefaultPng)}", 256, true),
    // ImageMagick has no sheet: compare with its nearest equivalent, edges as white lines on blue (no grid, frame or title block).
    ("blueprint 512 (ours: full sheet)", "blueprint512", $"-filter Lanczos -resize 512x512 -colorspace Gray -define convolve:scale=! -morphology Convolve Sobel -level 9%,11% +level-colors \"#0b4f9c\",white {Png(level1)}", null, false),
};

Console.WriteLine($"Imaging benchmark: {images} images of 64×64 per batch, {rounds} rounds, one thread each side; {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
Console.WriteLine($"libvips {VipsImage.LibraryVersion} ({VipsImage.LibraryPath}); {Magick("-version").Split('\n')[0]}; ImageSharp {ImageSharpSide.Version}");
Console.WriteLine();
Console.WriteLine($"{"work",-36} {"ours median",12} {"ours mean",10} {"magick mean",12} {"ratio",7}  {"pixel diff",10} {"ImageSharp mean",16} {"ratio",7}  {"pixel diff",10}  KB ours/magick/ImageSharp");
foreach (var (name, preset, magick, sharpSize, sameOutput) in cases)
{
    var resolved = pipeline.Presets.Get(preset);
    var perImage = new List<double>();
    var oursBatch = new List<double>();
    var theirsBatch = new List<double>();
    var sharpBatch = new List<double>();
    for (var round = -1; round < rounds; round++) // round -1 warms both sides up
    {
        var batch = Stopwatch.StartNew();
        foreach (var file in files)
        {
            var start = Stopwatch.GetTimestamp();
            var result = pipeline.Run(resolved, PipelineSource.FromEncoded(File.ReadAllBytes(file)), null);
            File.WriteAllBytes(Path.Combine(ours.FullName, Path.GetFileName(file)), result.Bytes);
            if (round >= 0) perImage.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        if (round >= 0) oursBatch.Add(batch.Elapsed.TotalMilliseconds / files.Length);
        batch.Restart();
        Magick($"-path {theirs.FullName} {magick} {inputs.FullName}/*.png", mogrify: true);
        if (round >= 0) theirsBatch.Add(batch.Elapsed.TotalMilliseconds / files.Length);
        if (sharpSize is not { } size) continue;
        batch.Restart();
        ImageSharpSide.Process(files, sharp.FullName, size, compression: 1);
        if (round >= 0) sharpBatch.Add(batch.Elapsed.TotalMilliseconds / files.Length);
    }
    var oursMean = Median(oursBatch);
    var theirsMean = Median(theirsBatch);
    var difference = sameOutput ? $"{MeanAbsoluteDifference(ours, theirs, files):F2} levels" : "n/a";
    var sharpColumns = sharpSize is null
        ? $"{"n/a",16} {"",7}  {"",10}"
        : $"{Median(sharpBatch),13:F2} ms {Median(sharpBatch) / oursMean,6:F1}×  {MeanAbsoluteDifference(ours, sharp, files):F2} levels";
    var kilobytes = string.Join(" / ", new[] { ours, theirs, sharp }.Select(d => $"{Kilobytes(d, files):F1}"));
    Console.WriteLine($"{name,-36} {Median(perImage),9:F2} ms {oursMean,7:F2} ms {theirsMean,9:F2} ms {theirsMean / oursMean,6:F1}×  {difference,10} {sharpColumns}  {(sharpSize is null ? "" : kilobytes)}");
}
// Throughput as the generation service will use it: many images, bounded concurrency, no files.
var sources = files.Select(f => (PipelineSource.FromEncoded(File.ReadAllBytes(f)), (Aigc.Imaging.Metadata.BlueprintMetadata?)null)).ToArray();
foreach (var concurrency in new[] { 1, 2 })
{
    using var batchPipeline = new PostProcessingPipeline(pipeline.Presets, pipeline.Limits, concurrency);
    await batchPipeline.RunManyAsync("upscale512", sources);
    var clock = Stopwatch.StartNew();
    for (var round = 0; round < rounds; round++) await batchPipeline.RunManyAsync("upscale512", sources);
    Console.WriteLine($"RunManyAsync 64→512, concurrency {concurrency}: {rounds * sources.Length / clock.Elapsed.TotalSeconds,6:F0} images/s");
}
Console.WriteLine();
Console.WriteLine("ours median: per image, decode + steps + encode + file read/write; means: batch time / images, median over rounds.");
Console.WriteLine("ratio = ImageMagick (or ImageSharp) / ours (higher is better for us); pixel diff: mean |ours − other| per sample, proof of the same work.");
root.Delete(recursive: true);
return 0;

static double MeanAbsoluteDifference(DirectoryInfo ours, DirectoryInfo theirs, string[] files)
{
    double total = 0;
    long count = 0;
    foreach (var file in files)
    {
        using var a = VipsImage.Decode(File.ReadAllBytes(Path.Combine(ours.FullName, Path.GetFileName(file))));
        using var b = VipsImage.Decode(File.ReadAllBytes(Path.Combine(theirs.FullName, Path.GetFileName(file))));
        var (pa, pb) = (a.ToPixels(), b.ToPixels());
        if (pa.Length != pb.Length) return double.NaN;
        for (var i = 0; i < pa.Length; i++) total += Math.Abs(pa[i] - pb[i]);
        count += pa.Length;
    }
    return total / count;
}

static double Kilobytes(DirectoryInfo directory, string[] files) =>
    files.Sum(f => new FileInfo(Path.Combine(directory.FullName, Path.GetFileName(f))).Length) / 1024.0 / files.Length;

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted[sorted.Length / 2];
}

static string Magick(string arguments, bool mogrify = false)
{
    var start = new ProcessStartInfo("/bin/sh", ["-c", $"/usr/bin/{(mogrify ? "mogrify" : "convert")} {arguments}"])
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
        Environment = { ["MAGICK_THREAD_LIMIT"] = "1", ["OMP_NUM_THREADS"] = "1" },
    };
    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0) throw new InvalidOperationException($"ImageMagick failed ({process.ExitCode}): {output}");
    return output;
}

static VipsImage SampleDrawing(int seed)
{
    var random = new Random(seed);
    int a = random.Next(8, 16), b = random.Next(40, 56), r = random.Next(3, 8);
    var svg = $"""
        <svg xmlns="http://www.w3.org/2000/svg" width="64" height="64">
        <rect width="64" height="64" fill="#e8e4dc"/>
        <path d="M{a} {b} L{a} 20 Q{a} 14 16 14 L40 14 L{b} 28 L{b} {b} Z" fill="#7d8790" stroke="#3a4046" stroke-width="1.5"/>
        <circle cx="24" cy="32" r="{r}" fill="#e8e4dc" stroke="#3a4046"/>
        </svg>
        """;
    using var rgba = VipsImage.FromSvg(svg, 64, 64);
    return rgba.Flatten(); // the drawing is opaque: this only drops the alpha band
}
