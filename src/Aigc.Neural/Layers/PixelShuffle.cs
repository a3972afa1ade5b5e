using System.Runtime.CompilerServices;
using Aigc.Neural.Backend;

namespace Aigc.Neural.Layers;

/// <summary>
/// torch.nn.PixelShuffle(r): [N, C·r², H, W] → [N, C, H·r, W·r], out[n, c, h·r+i, w·r+j] = in[n, c·r²+i·r+j, h, w].
/// Sub-pixel output lets a network compute at the low resolution and still emit every high-resolution pixel.
/// A pure permutation, so it needs no backend operation; backward is the inverse permutation.
/// </summary>
public sealed class PixelShuffle : Layer
{
    private Tensor? _output;
    private Tensor? _gradInput;
    private int[] _inputShape = [];

    public PixelShuffle(INeuralBackend backend, int upscaleFactor)
        : base(backend)
    {
        if (upscaleFactor < 1)
            throw new ArgumentOutOfRangeException(nameof(upscaleFactor), upscaleFactor, "PixelShuffle: the factor must be ≥ 1.");
        UpscaleFactor = upscaleFactor;
    }

    public int UpscaleFactor { get; }

    public override Tensor Forward(Tensor input)
    {
        RequireRank(input, 4, "PixelShuffle");
        var r = UpscaleFactor;
        if (input.Dim(1) % (r * r) != 0)
            throw new ArgumentException($"PixelShuffle({r}) needs channels divisible by {r * r}, got {input}.");
        _inputShape = input.Shape.ToArray();
        var (n, c, h, w) = (input.Dim(0), input.Dim(1) / (r * r), input.Dim(2), input.Dim(3));
        _output = Tensor.Prepare(_output, n, c, h * r, w * r);
        Permute(input.Data, _output.Data, n, c, h, w, toShuffled: true);
        return _output;
    }

    public override Tensor? Backward(Tensor gradOutput)
    {
        if (_inputShape.Length == 0)
            throw new InvalidOperationException("PixelShuffle.Backward called before Forward.");
        if (!InputGradient)
            return null;
        var r = UpscaleFactor;
        _gradInput = Tensor.Prepare(_gradInput, _inputShape);
        Permute(gradOutput.Data, _gradInput.Data, _inputShape[0], _inputShape[1] / (r * r), _inputShape[2],
            _inputShape[3], toShuffled: false);
        return _gradInput;
    }

    /// <summary>Copies rows of W low-resolution values to every r-th high-resolution pixel (or back).</summary>
    // Compiled optimised at first call, not after a minute of tier-0 code: decision 0024.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private void Permute(float[] source, float[] target, int n, int c, int h, int w, bool toShuffled)
    {
        var r = UpscaleFactor;
        var outW = w * r;
        for (var b = 0; b < n; b++)
            for (var ch = 0; ch < c; ch++)
                for (var i = 0; i < r; i++)
                    for (var j = 0; j < r; j++)
                    {
                        var plane = ((b * c + ch) * r * r + i * r + j) * h * w;
                        var hiPlane = (b * c + ch) * h * r * outW;
                        for (var y = 0; y < h; y++)
                        {
                            var lo = plane + y * w;
                            var hi = hiPlane + (y * r + i) * outW + j;
                            if (toShuffled)
                                for (var x = 0; x < w; x++)
                                    target[hi + x * r] = source[lo + x];
                            else
                                for (var x = 0; x < w; x++)
                                    target[lo + x] = source[hi + x * r];
                        }
                    }
    }
}
