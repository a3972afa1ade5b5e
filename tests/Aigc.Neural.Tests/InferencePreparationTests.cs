using System.Runtime.InteropServices;
using Aigc.Neural.Backend;
using Aigc.Neural.Layers;
using Aigc.Neural.Training;

namespace Aigc.Neural.Tests;

/// <summary>
/// ConvTranspose2d.PrepareInference keeps the weight in the layout BLAS packs fastest. Stored blueprints must
/// reproduce, so the prepared pass must give the original pass's result bit for bit, and never outlive a weight change.
/// </summary>
public class InferencePreparationTests
{
    [Theory]
    [InlineData("openblas", 256, 128, 4, 1)] // the default model's second layer, one image per pass
    [InlineData("openblas", 128, 64, 8, 1)]
    [InlineData("openblas", 32, 1, 32, 3)]
    [InlineData("managed", 256, 128, 4, 1)]
    [InlineData("managed", 64, 32, 16, 2)]
    [InlineData("managed256", 32, 1, 32, 3)]
    public void A_prepared_layer_gives_the_original_result_bit_for_bit(string provider, int cin, int cout, int size, int batch)
    {
        var rng = new RandomSource((ulong)(cin * 7 + cout + size + batch));
        var layer = new ConvTranspose2d(TestEngines.Backend(provider), cin, cout, ConvGeometry.Square(4, 2, 1));
        Initialization.PyTorchDefault(layer, rng);
        layer.Eval();
        var x = TestEngines.Random(rng, batch, cin, size, size);
        var original = Bits(layer.Forward(x));

        layer.PrepareInference();

        Assert.Equal(original, Bits(layer.Forward(x)));
    }

    [Fact]
    public void Training_drops_the_prepared_weight_and_preparing_while_training_is_refused()
    {
        var rng = new RandomSource(21);
        var layer = new ConvTranspose2d(TestEngines.Backend("openblas"), 16, 8, ConvGeometry.Square(4, 2, 1));
        Initialization.PyTorchDefault(layer, rng);
        var x = TestEngines.Random(rng, 1, 16, 4, 4);
        layer.Eval();
        layer.PrepareInference();
        var prepared = Bits(layer.Forward(x));

        layer.Train();
        Assert.Throws<InvalidOperationException>(layer.PrepareInference);
        foreach (ref var w in layer.Weight.Value.Span)
            w *= 2;
        layer.Eval();

        var changed = Bits(layer.Forward(x));
        Assert.NotEqual(prepared, changed);
        var fresh = new ConvTranspose2d(TestEngines.Backend("openblas"), 16, 8, ConvGeometry.Square(4, 2, 1));
        layer.Weight.Value.Span.CopyTo(fresh.Weight.Value.Span);
        layer.Bias!.Value.Span.CopyTo(fresh.Bias!.Value.Span);
        fresh.Eval();
        Assert.Equal(Bits(fresh.Forward(x)), changed);
    }

    private static int[] Bits(Tensor t) => MemoryMarshal.Cast<float, int>(t.Span).ToArray();
}
