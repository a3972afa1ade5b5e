namespace Aigc.Neural.Backend;

/// <summary>
/// Kernel, stride, padding, (transposed convolutions only) output padding and (convolutions only) dilation; groups 1.
/// Dilation d spaces the kernel's taps d pixels apart, as torch.nn.Conv2d's dilation: a 3×3 kernel at d = 2 sees 5×5.
/// </summary>
public readonly record struct ConvGeometry(int KernelH, int KernelW, int StrideH = 1, int StrideW = 1,
    int PaddingH = 0, int PaddingW = 0, int OutputPaddingH = 0, int OutputPaddingW = 0, int DilationH = 1,
    int DilationW = 1)
{
    public static ConvGeometry Square(int kernel, int stride = 1, int padding = 0, int outputPadding = 0,
        int dilation = 1) =>
        new(kernel, kernel, stride, stride, padding, padding, outputPadding, outputPadding, dilation, dilation);

    /// <summary>The span the kernel covers: d·(k − 1) + 1.</summary>
    public int ExtentH => DilationH * (KernelH - 1) + 1;

    public int ExtentW => DilationW * (KernelW - 1) + 1;

    /// <summary>True for dilation 1 in both directions, the only kind transposed convolutions take.</summary>
    public bool IsUndilated => DilationH == 1 && DilationW == 1;

    /// <summary>PyTorch's formula: ⌊(h + 2p − d·(k − 1) − 1) / s⌋ + 1.</summary>
    public (int H, int W) ConvOutput(int h, int w)
    {
        if (h + 2 * PaddingH < ExtentH || w + 2 * PaddingW < ExtentW)
            throw new ArgumentException($"Conv2d: input {h}×{w} with padding {PaddingH}×{PaddingW} is smaller than " +
                $"kernel {KernelH}×{KernelW} at dilation {DilationH}×{DilationW}.");
        var oh = (h + 2 * PaddingH - ExtentH) / StrideH + 1;
        var ow = (w + 2 * PaddingW - ExtentW) / StrideW + 1;
        return (oh, ow);
    }

    public (int H, int W) TransposedOutput(int h, int w)
    {
        if (!IsUndilated)
            throw new NotSupportedException($"ConvTranspose2d: dilation {DilationH}×{DilationW} is not supported.");
        var oh = (h - 1) * StrideH - 2 * PaddingH + KernelH + OutputPaddingH;
        var ow = (w - 1) * StrideW - 2 * PaddingW + KernelW + OutputPaddingW;
        if (oh <= 0 || ow <= 0)
            throw new ArgumentException($"ConvTranspose2d: input {h}×{w} gives an empty output ({oh}×{ow}).");
        return (oh, ow);
    }

    public void Validate(string layer)
    {
        if (KernelH < 1 || KernelW < 1 || StrideH < 1 || StrideW < 1 || PaddingH < 0 || PaddingW < 0)
            throw new ArgumentException($"{layer}: kernel and stride must be ≥ 1 and padding ≥ 0 (got {this}).");
        if (OutputPaddingH < 0 || OutputPaddingW < 0 || OutputPaddingH >= StrideH || OutputPaddingW >= StrideW)
            throw new ArgumentException($"{layer}: output_padding must be smaller than stride (got {this}).");
        if (DilationH < 1 || DilationW < 1)
            throw new ArgumentException($"{layer}: dilation must be ≥ 1 (got {this}).");
    }
}
