using Aigc.Imaging.Metadata;
using Aigc.Imaging.Pipeline;
using static Aigc.Imaging.Tests.PresetRunner;

namespace Aigc.Imaging.Tests;

/// <summary>The upscale step's "learned" kernel: the line upscaler where it takes the sizes, Lanczos 3 otherwise.</summary>
public class LearnedUpscaleTests
{
    [Fact]
    public void A_square_grey_drawing_goes_through_the_line_upscaler()
    {
        var upscaler = new FakeUpscaler(8, 32);
        using var drawing = Drawing();
        var result = Run(drawing, upscaler, Step("upscale", ("size", "32"), ("kernel", "learned")));
        Assert.Equal((32, 32), (result.Width, result.Height));
        Assert.Equal(1, upscaler.Calls);
        Assert.Equal(200, result[5, 7, 0]);
    }

    [Fact]
    public void Other_sizes_colour_images_or_no_upscaler_fall_back_to_lanczos3()
    {
        using var drawing = Drawing();
        var lanczos = Run(drawing, null, Step("upscale", ("size", "32"), ("kernel", "lanczos3")));
        var noUpscaler = Run(drawing, null, Step("upscale", ("size", "32"), ("kernel", "learned")));
        var otherSize = new FakeUpscaler(8, 64);
        var notTaken = Run(drawing, otherSize, Step("upscale", ("size", "32"), ("kernel", "learned")));
        AssertSame(lanczos, noUpscaler);
        AssertSame(lanczos, notTaken);
        Assert.Equal(1, otherSize.Calls);

        var colour = new FakeUpscaler(8, 32);
        using var rgb = Samples.Solid(8, 8, 9, 9, 9);
        var enlarged = Run(rgb, colour, Step("upscale", ("size", "32"), ("kernel", "learned")));
        Assert.Equal(0, colour.Calls);
        Assert.Equal(((byte)9, (byte)9, (byte)9), enlarged.Rgb(20, 20));
    }

    [Fact]
    public void The_default_preset_upscales_with_the_learned_kernel_then_sharpens()
    {
        var upscaler = new FakeUpscaler(64, 256);
        using var catalog = PipelinePresetCatalog.Create(new Dictionary<string, List<Dictionary<string, string>>>(), ImageLimits.Default, upscaler);
        using var pipeline = new PostProcessingPipeline(catalog, ImageLimits.Default, 1);
        using var drawing = VipsImage.FromPixels(new byte[64 * 64], 64, 64, 1);
        var result = Pixels.Of(pipeline.Run(catalog.Get("default"), PipelineSource.FromImage(drawing), null).Bytes);
        Assert.Equal("upscale → sharpen → encode", catalog.Get("default").Describe());
        Assert.Equal(1, upscaler.Calls);
        Assert.Equal(200, result[100, 100, 0]);
    }

    private static void AssertSame(Pixels expected, Pixels actual)
    {
        Assert.Equal((expected.Width, expected.Height, expected.Bands), (actual.Width, actual.Height, actual.Bands));
        for (var y = 0; y < expected.Height; y++)
            for (var x = 0; x < expected.Width; x++)
                Assert.Equal(expected[x, y, 0], actual[x, y, 0]);
    }

    private static VipsImage Drawing()
    {
        var pixels = new byte[8 * 8];
        for (var i = 0; i < 8; i++)
            pixels[i * 8 + i] = 255;
        return VipsImage.FromPixels(pixels, 8, 8, 1);
    }

    private static Pixels Run(VipsImage source, ILineUpscaler? upscaler, params Dictionary<string, string>[] steps)
    {
        using var catalog = PipelinePresetCatalog.Create(
            new Dictionary<string, List<Dictionary<string, string>>> { ["test"] = [.. steps] }, ImageLimits.Default, upscaler);
        using var pipeline = new PostProcessingPipeline(catalog, ImageLimits.Default, 1);
        return Pixels.Of(pipeline.Run(catalog.Get("test"), PipelineSource.FromImage(source), (BlueprintMetadata?)null).Bytes);
    }

    /// <summary>Answers only <paramref name="size"/> → <paramref name="outputSize"/>, with a flat grey 200.</summary>
    private sealed class FakeUpscaler(int size, int outputSize) : ILineUpscaler
    {
        public int Calls { get; private set; }

        public byte[]? Upscale(ReadOnlySpan<byte> grey, int inputSize, int output)
        {
            Calls++;
            Assert.Equal(inputSize * inputSize, grey.Length);
            if (inputSize != size || output != outputSize)
                return null;
            var result = new byte[output * output];
            Array.Fill(result, (byte)200);
            return result;
        }
    }
}
