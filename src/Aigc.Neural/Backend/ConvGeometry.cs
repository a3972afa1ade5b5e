namespace Aigc.Neural.Backend;

/// <summary>Kernel, stride, padding and (transposed convolutions only) output padding; dilation 1, groups 1.</summary>
public readonly record struct ConvGeometry(int KernelH, int KernelW, int StrideH = 1, int StrideW = 1,
    int PaddingH = 0, int PaddingW = 0, int OutputPaddingH = 0, int OutputPaddingW = 0)
{
    public static ConvGeometry Square(int kernel, int stride = 1, int padding = 0, int outputPadding = 0) =>
        new(kernel, kernel, stride, stride, padding, padding, outputPadding, outputPadding);

    public (int H, int W) ConvOutput(int h, int w)
    {
        var oh = (h + 2 * PaddingH - KernelH) / StrideH + 1;
        var ow = (w + 2 * PaddingW - KernelW) / StrideW + 1;
        if (h + 2 * PaddingH < KernelH || w + 2 * PaddingW < KernelW)
            throw new ArgumentException($"Conv2d: input {h}×{w} with padding {PaddingH}×{PaddingW} is smaller than kernel {KernelH}×{KernelW}.");
        return (oh, ow);
    }

    public (int H, int W) TransposedOutput(int h, int w)
    {
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
    }
}
