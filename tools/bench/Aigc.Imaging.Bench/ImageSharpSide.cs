using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using SixLabors.ImageSharp.Processing.Processors.Convolution;

/// <summary>
/// The same work in ImageSharp 2.1.13, the library the product was first specified with (flagged by the package source
/// for crafted-image flaws, so only a benchmark anchor here): Lanczos-3 resize, the same 3×3 Laplacian as a
/// convolution (its edge detector with a custom kernel and no greyscale step), PNG with the Paeth filter.
/// </summary>
internal static class ImageSharpSide
{
    private static readonly Configuration OneThread = CreateConfiguration();

    private static readonly EdgeDetectorKernel Laplacian = new(new DenseMatrix<float>(new float[,]
    {
        { 0, -0.25f, 0 },
        { -0.25f, 2, -0.25f },
        { 0, -0.25f, 0 },
    }));

    public static void Process(string[] files, string outputDirectory, int size, int compression)
    {
        var encoder = new PngEncoder
        {
            FilterMethod = PngFilterMethod.Paeth,
            CompressionLevel = (PngCompressionLevel)compression,
            ColorType = PngColorType.Rgb,
            BitDepth = PngBitDepth.Bit8,
            IgnoreMetadata = true,
        };
        foreach (var file in files)
        {
            using var image = Image.Load<Rgb24>(OneThread, file);
            image.Mutate(x => x.Resize(new ResizeOptions { Size = new Size(size, size), Sampler = KnownResamplers.Lanczos3 })
                .DetectEdges(Laplacian, grayscale: false));
            image.SaveAsPng(Path.Combine(outputDirectory, Path.GetFileName(file)), encoder);
        }
    }

    // The assembly version stays 2.0.0.0 across 2.x; the package version is the informational one.
    public static string Version =>
        typeof(Image).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "?";

    private static Configuration CreateConfiguration()
    {
        var configuration = Configuration.Default.Clone();
        configuration.MaxDegreeOfParallelism = 1;
        return configuration;
    }
}
