using System.Buffers.Binary;
using System.Text;
using Aigc.Imaging.Kernels;
using Aigc.Imaging.Metadata;
using NetVips;
using Aigc.Imaging.Pipeline;

namespace Aigc.Imaging.Tests;

public class PngEncoderTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 5, 2)]
    [InlineData(37, 19, 3)]
    [InlineData(64, 33, 4)]
    [InlineData(256, 256, 1)]
    public void Libpng_decodes_exactly_the_pixels_encoded_at_every_level_and_with_run_length_matching(int width, int height, int bands)
    {
        var noise = new byte[width * height * bands];
        new Random(width * 31 + bands).NextBytes(noise);
        // Flat areas and steps as well as noise, so that every Paeth choice (left, above, above-left) is taken.
        var drawn = Enumerable.Range(0, noise.Length).Select(i => (byte)(i / (width * bands) % 3 == 0 ? 255 : i % (width * bands) / 7 * 40)).ToArray();
        foreach (var pixels in new[] { noise, drawn })
        foreach (var (level, runLength) in new[] { (0, false), (1, false), (2, false), (6, false), (9, false), (1, true), (6, true) })
        {
            using var decoded = VipsImage.Decode(PngEncoder.Encode(pixels, width, height, bands, level, runLength: runLength));
            Assert.Equal((width, height, bands), (decoded.Width, decoded.Height, decoded.Bands));
            Assert.Equal(pixels, decoded.ToPixels());
        }
    }

    [Fact]
    public void The_file_is_a_header_one_data_chunk_and_the_end_each_with_a_good_crc()
    {
        var png = PngEncoder.Encode(new byte[12 * 7 * 3], 12, 7, 3, 2);

        Assert.Equal(ChunkTypes(png), ["IHDR", "IDAT", "IEND"]);
        Assert.Equal(12, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(7, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        Assert.Equal(new byte[] { 8, 2, 0, 0, 0 }, png.AsSpan(24, 5).ToArray());
        // PngChunks checks every chunk's CRC as it rewrites the file.
        Assert.Equal(png, PngChunks.StripText(png));
    }

    [Fact]
    public void Text_written_while_encoding_gives_the_file_that_splicing_it_in_afterwards_gives()
    {
        var pixels = new byte[9 * 4 * 2];
        new Random(9).NextBytes(pixels);
        var text = new PngText("aigc", """{"model":"blueprints","note":"Zahnrad – Ø 12"}""");

        var png = PngEncoder.Encode(pixels, 9, 4, 2, 2, text);

        Assert.Equal(ChunkTypes(png), ["IHDR", "iTXt", "IDAT", "IEND"]);
        Assert.Equal(PngChunks.WithInternationalText(PngEncoder.Encode(pixels, 9, 4, 2, 2), text), png);
        Assert.Equal(text.Text, PngChunks.ReadText(png, "aigc"));
        using var decoded = VipsImage.Decode(png);
        Assert.Equal(pixels, decoded.ToPixels());
    }

    [Fact]
    public void Bad_arguments_are_refused_naming_what_is_wrong()
    {
        Assert.Contains("Expected 12 bytes", Assert.Throws<ArgumentException>(() => PngEncoder.Encode(new byte[11], 2, 2, 3, 2)).Message);
        Assert.Contains("bands must be 1 to 4", Assert.Throws<ArgumentOutOfRangeException>(() => PngEncoder.Encode(new byte[10], 2, 1, 5, 2)).Message);
        Assert.Contains("zlib level 0–9", Assert.Throws<ArgumentOutOfRangeException>(() => PngEncoder.Encode(new byte[4], 2, 2, 1, 10)).Message);
        Assert.Contains("must be positive", Assert.Throws<ArgumentOutOfRangeException>(() => PngEncoder.Encode([], 0, 2, 1, 2)).Message);
    }

    [Fact]
    public void A_generated_image_with_the_default_encoding_is_smaller_than_libvips_writes_it_at_level_6()
    {
        using var part = Samples.Part();
        using var grey = part.ToGreyscale();
        using var catalog = PipelinePresetCatalog.Create(new Dictionary<string, List<Dictionary<string, string>>>(), ImageLimits.Default);
        using var pipeline = new PostProcessingPipeline(catalog, ImageLimits.Default, 1);
        var output = pipeline.Run(catalog.Get(PipelinePresetCatalog.DefaultPresetName), PipelineSource.FromImage(grey), metadata: null);
        using var image = VipsImage.Decode(output.Bytes);
        var libvips = image.Native.PngsaveBuffer(6, filter: Enums.ForeignPngFilter.Sub, keep: Enums.ForeignKeep.None);

        Assert.True(output.Bytes.Length < libvips.Length, $"{output.Bytes.Length} bytes against libvips' {libvips.Length}");
    }

    [Fact]
    public void An_image_made_from_its_own_pixels_hands_them_back_without_letting_them_change()
    {
        var pixels = new byte[4 * 3];
        new Random(3).NextBytes(pixels);
        var expected = pixels.ToArray();
        using var image = VipsImage.FromOwnedPixels(pixels, 2, 2, 3);

        var copy = image.ToPixels();
        copy[0] ^= 0xFF;

        Assert.Equal(expected, image.ToPixels());
        Assert.Equal(expected, image.Pixels.ToArray());
        using var computed = image.Apply(i => i.Copy());
        Assert.Equal(expected, computed.ToPixels());
    }

    [Fact]
    public void An_image_that_is_not_plain_8_bit_is_still_written_by_libvips()
    {
        using var part = Samples.Part();
        using var rgb16 = part.Apply(i => i.Cast(Enums.BandFormat.Ushort).Linear([256], [0])
            .Cast(Enums.BandFormat.Ushort).Copy(interpretation: Enums.Interpretation.Rgb16));

        var png = rgb16.EncodePng(text: new PngText("aigc", "sixteen"));
        using var decoded = VipsImage.Decode(png);

        Assert.Equal((part.Width, part.Height, part.Bands), (decoded.Width, decoded.Height, decoded.Bands));
        Assert.Equal(part.ToPixels(), decoded.ToPixels());
        Assert.Equal("sixteen", PngChunks.ReadText(png, "aigc"));
    }

    private static List<string> ChunkTypes(byte[] png)
    {
        var types = new List<string>();
        for (var offset = 8; offset < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            types.Add(Encoding.ASCII.GetString(png, offset + 4, 4));
            offset += 12 + length;
        }

        return types;
    }
}
