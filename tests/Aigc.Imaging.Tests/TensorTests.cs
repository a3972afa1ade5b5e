namespace Aigc.Imaging.Tests;

public class TensorTests
{
    [Fact]
    public void Chw_values_in_minus_one_to_one_map_to_bytes_per_channel()
    {
        // 3×1×2: R plane, G plane, B plane.
        float[] chw = [-1f, 1f, 0f, 0.5f, 1f, -1f];
        using var image = VipsImage.FromTensor(chw, 3, 1, 2);
        var pixels = new Pixels(image);
        Assert.Equal((2, 1, 3), (pixels.Width, pixels.Height, pixels.Bands));
        Assert.Equal(((byte)0, (byte)128, (byte)255), pixels.Rgb(0, 0));
        Assert.Equal(((byte)255, (byte)191, (byte)0), pixels.Rgb(1, 0));
    }

    [Fact]
    public void Values_outside_the_range_are_clamped()
    {
        using var image = VipsImage.FromTensor([-3f, 7f], 1, 1, 2);
        var pixels = new Pixels(image);
        Assert.Equal(0, pixels[0, 0, 0]);
        Assert.Equal(255, pixels[1, 0, 0]);
    }

    [Fact]
    public void Bad_tensors_are_refused_with_a_reason()
    {
        Assert.Contains("1, 3 or 4 channels", Assert.Throws<ArgumentOutOfRangeException>(() => VipsImage.FromTensor(new float[8], 2, 2, 2)).Message);
        Assert.Contains("has 12 values, got 11", Assert.Throws<ArgumentException>(() => VipsImage.FromTensor(new float[11], 3, 2, 2)).Message);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => VipsImage.FromTensor([0f, float.NaN, 0f, 0f], 1, 2, 2)).Message);
    }

    [Fact]
    public void A_tensor_image_can_be_resized_and_encoded_without_files()
    {
        var chw = new float[3 * 64 * 64];
        for (var i = 0; i < chw.Length; i++) chw[i] = i < 64 * 64 ? 1f : -1f; // pure red
        using var image = VipsImage.FromTensor(chw, 3, 64, 64);
        using var big = image.Apply(i => i.Resize(4.0));
        var pixels = Pixels.Of(big.EncodePng());
        Assert.Equal((256, 256), (pixels.Width, pixels.Height));
        Assert.Equal(((byte)255, (byte)0, (byte)0), pixels.Rgb(128, 128));
    }
}
