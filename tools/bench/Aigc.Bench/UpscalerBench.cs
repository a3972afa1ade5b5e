using System.Diagnostics;
using Aigc.Generation.Upscaling;
using Aigc.Imaging;
using Aigc.Imaging.Kernels;
using Aigc.Neural;

namespace Aigc.Bench;

/// <summary>
/// Issue 26's proof for the upscaler (`--only upscale`): held-out drawings (seed 269999, never trained on) at 64 px,
/// degraded as <see cref="LineDegradation.Benchmark"/> and clean, enlarged by ours and by the default preset's
/// Lanczos 3 + Laplacian sharpen (amount 1), against the true render at 256/512 px — quality and one-core cost from
/// the same run, timings alternated round by round. Writes a raw / Lanczos / ours / truth sheet when --sheet is given.
/// </summary>
internal static class UpscalerBench
{
    public static Dictionary<string, object> Run(
        NeuralEngine engine, string versions, int count, int rounds, string? sheet, ulong seed, bool ablate = false)
    {
        var result = new Dictionary<string, object> { ["drawings"] = count, ["seed"] = seed };
        foreach (var folder in versions.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var ours = LineUpscaler.Load(engine, folder);
            var m = ours.Manifest;
            // A second version of the same scale (old and new side by side) is keyed by its folder's name.
            var key = result.ContainsKey($"x{m.Scale}_truth_f1")
                ? $"x{m.Scale}_{Path.GetFileName(Path.TrimEndingDirectorySeparator(folder))}"
                : $"x{m.Scale}";
            var pairs = LinePairs.Render(seed, count, m.InputSize, m.OutputSize);
            var random = new RandomSource(seed);
            var degraded = Enumerable.Range(0, count)
                .Select(i => UpscalerTrainingRun.ToBytes(pairs.DegradedLow(i, LineDegradation.Benchmark, random))).ToArray();
            foreach (var (name, inputs) in new[] { ("degraded", degraded), ("clean", pairs.Low.ToArray()) })
            {
                var upscaled = inputs.Select(x => ours.Upscale([x])[0]).ToArray();
                var lanczos = inputs.Select(x => LanczosSharpen(x, m.InputSize, m.OutputSize)).ToArray();
                Record(result, $"{key}_{name}_ours", UpscalerTrainingRun.Quality(upscaled, pairs.High));
                // The default preset sharpens after the learned step too.
                var sharpened = upscaled.Select(x => LaplacianSharpen.Apply(x, m.OutputSize, m.OutputSize, 1, 4)).ToArray();
                Record(result, $"{key}_{name}_ours_sharpen", UpscalerTrainingRun.Quality(sharpened, pairs.High));
                Record(result, $"{key}_{name}_lanczos_sharpen", UpscalerTrainingRun.Quality(lanczos, pairs.High));
                // Lanczos alone too: "no worse than Lanczos" on clean input is judged against both.
                var plain = inputs.Select(x =>
                    Lanczos3.Enlarge(x, m.InputSize, m.InputSize, 1, m.OutputSize, m.OutputSize));
                Record(result, $"{key}_{name}_lanczos", UpscalerTrainingRun.Quality(plain.ToArray(), pairs.High));
                if (name == "degraded" && sheet is not null && m.Scale == 4)
                    WriteSheet(sheet, degraded, lanczos, upscaled, pairs, m.InputSize, m.OutputSize);
            }

            Record(result, $"{key}_truth", UpscalerTrainingRun.Quality(pairs.High, pairs.High));
            if (ablate)
                Ablate(result, key, ours, pairs, seed);
            if (rounds < 1)
                continue;
            var oursTimes = new List<double>();
            var lanczosTimes = new List<double>();
            var sample = degraded.Take(50).ToArray();
            for (var round = 0; round < rounds; round++)
            {
                oursTimes.Add(PerImage(sample, x => ours.Upscale([x])));
                lanczosTimes.Add(PerImage(sample, x => LanczosSharpen(x, m.InputSize, m.OutputSize)));
            }

            result[$"{key}_ours_ms"] = Math.Round(oursTimes.Order().ElementAt(rounds / 2), 3);
            result[$"{key}_lanczos_sharpen_ms"] = Math.Round(lanczosTimes.Order().ElementAt(rounds / 2), 3);
            result[$"{key}_ours_ms_range"] = $"{oursTimes.Min():F2}-{oursTimes.Max():F2}";
        }

        return result;
    }

    /// <summary>
    /// Which part of the benchmark's degradation costs the F1 (a diagnosis, not the benchmark): ours on the same
    /// drawings with the blur alone, and with the noise and speckles alone; the F1 at other cut levels; a flips
    /// ensemble.
    /// </summary>
    private static void Ablate(
        Dictionary<string, object> result, string key, LineUpscaler ours, LinePairs pairs, ulong seed)
    {
        var b = LineDegradation.Benchmark;
        foreach (var (name, degradation) in new[]
                 {
                     ("blur_only", b with { NoiseMin = 0, NoiseMax = 0, SpeckleMin = 0, SpeckleMax = 0 }),
                     ("noise_only", b with { BlurMin = 0, BlurMax = 0 }),
                 })
        {
            var random = new RandomSource(seed);
            var upscaled = Enumerable.Range(0, pairs.Count)
                .Select(i => UpscalerTrainingRun.ToBytes(pairs.DegradedLow(i, degradation, random)))
                .Select(x => ours.Upscale([x])[0]).ToArray();
            Record(result, $"{key}_{name}_ours", UpscalerTrainingRun.Quality(upscaled, pairs.High));
        }

        // Where ours would binarise best: the F1 with its output cut at other levels than mid-grey (truth at 128).
        var benchmark = new RandomSource(seed);
        var ensemble = new RandomSource(seed);
        var outputs = Enumerable.Range(0, pairs.Count)
            .Select(i => UpscalerTrainingRun.ToBytes(pairs.DegradedLow(i, b, benchmark)))
            .Select(x => ours.Upscale([x])[0]).ToArray();
        for (var level = 88; level <= 168; level += 8)
        {
            var shift = 128 - level;
            var f1 = outputs.Select((x, i) => LineQuality.LineF1(
                x.Select(v => (byte)Math.Clamp(v + shift, 0, 255)).ToArray(), pairs.High[i])).Average();
            result[$"{key}_degraded_ours_f1_cut_{level}"] = Math.Round(f1, 4);
        }

        // Whether its errors are noise an ensemble averages out: the four flips of each input, outputs averaged.
        int n = ours.Manifest.InputSize, o = ours.Manifest.OutputSize;
        (bool X, bool Y)[] flips = [(false, false), (true, false), (false, true), (true, true)];
        var averaged = Enumerable.Range(0, pairs.Count).Select(i =>
        {
            var low = UpscalerTrainingRun.ToBytes(pairs.DegradedLow(i, b, ensemble));
            var sum = new int[o * o];
            foreach (var (x, y) in flips)
            {
                var output = Flip(ours.Upscale([Flip(low, n, x, y)])[0], o, x, y);
                for (var p = 0; p < sum.Length; p++)
                    sum[p] += output[p];
            }

            return sum.Select(v => (byte)((v + 2) / 4)).ToArray();
        }).ToArray();
        Record(result, $"{key}_degraded_ours_flips4", UpscalerTrainingRun.Quality(averaged, pairs.High));
    }

    /// <summary>A square image mirrored left-right and/or top-bottom (each its own inverse).</summary>
    private static byte[] Flip(byte[] image, int size, bool x, bool y)
    {
        var flipped = new byte[image.Length];
        for (var r = 0; r < size; r++)
            for (var c = 0; c < size; c++)
                flipped[r * size + c] = image[(y ? size - 1 - r : r) * size + (x ? size - 1 - c : c)];
        return flipped;
    }

    /// <summary>The default preset's enlargement: Lanczos 3 to the output size, then the Laplacian sharpen at amount 1.</summary>
    private static byte[] LanczosSharpen(byte[] image, int size, int outputSize) =>
        LaplacianSharpen.Apply(Lanczos3.Enlarge(image, size, size, 1, outputSize, outputSize), outputSize, outputSize, 1, 4);

    private static void Record(Dictionary<string, object> result, string key, LineQuality q)
    {
        result[$"{key}_f1"] = q.F1;
        result[$"{key}_grey"] = q.GreyShare;
    }

    private static double PerImage(byte[][] images, Action<byte[]> enlarge)
    {
        foreach (var image in images.Take(5))
            enlarge(image);
        var clock = Stopwatch.StartNew();
        foreach (var image in images)
            enlarge(image);
        return clock.Elapsed.TotalMilliseconds / images.Length;
    }

    /// <summary>One row per part class (drawings 0–7): raw 64 px (nearest), Lanczos + sharpen, ours, truth.</summary>
    private static void WriteSheet(string path, byte[][] raw, byte[][] lanczos, byte[][] ours, LinePairs pairs, int low, int high)
    {
        const int gap = 6;
        const int rows = 8;
        var width = 4 * high + 5 * gap;
        var height = rows * high + (rows + 1) * gap;
        var canvas = new byte[width * height];
        Array.Fill(canvas, (byte)96);
        for (var row = 0; row < rows; row++)
        {
            var nearest = new byte[high * high];
            var r = high / low;
            for (var y = 0; y < high; y++)
                for (var x = 0; x < high; x++)
                    nearest[y * high + x] = raw[row][y / r * low + x / r];
            byte[][] tiles = [nearest, lanczos[row], ours[row], pairs.High[row]];
            for (var col = 0; col < 4; col++)
                for (var y = 0; y < high; y++)
                    tiles[col].AsSpan(y * high, high).CopyTo(canvas.AsSpan((gap + row * (high + gap) + y) * width + gap + col * (high + gap)));
        }

        using var image = VipsImage.FromPixels(canvas, width, height, 1);
        File.WriteAllBytes(path, image.EncodePng(compression: 9));
    }
}
