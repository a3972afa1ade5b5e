using Aigc.Imaging.Kernels;
using NetVips;

namespace Aigc.Imaging.Pipeline.Steps;

/// <summary>
/// Resizes by a factor or so the longer side becomes <c>size</c> pixels, with lanczos3, nearest neighbour or "learned"
/// (a square grey drawing enlarged by the <see cref="ILineUpscaler"/> when one takes its sizes, else lanczos3).
/// Lanczos enlargement runs in <see cref="Lanczos3"/>; reduction and nearest stay in libvips.
/// </summary>
public sealed class UpscaleStep : IPipelineStep
{
    private readonly double? _factor;
    private readonly int? _size;
    private readonly string _kernel;
    private readonly ILineUpscaler? _upscaler;

    public UpscaleStep(StepParameters parameters, ILineUpscaler? upscaler = null)
    {
        _factor = parameters.OptionalDouble("factor", 0.05, 32);
        _size = parameters.OptionalInt("size", 1, 8192);
        _kernel = parameters.Choice("kernel", "lanczos3", "lanczos3", "nearest", "learned");
        _upscaler = upscaler;
        if (parameters.Has("factor") == parameters.Has("size"))
            parameters.StepError("needs exactly one of the parameters 'factor' or 'size'");
    }

    public string Name => "upscale";

    public VipsImage? Apply(VipsImage image, PipelineRun run)
    {
        var scale = _factor ?? (double)_size!.Value / Math.Max(image.Width, image.Height);
        if (scale == 1) return null;
        if (scale < 1 || _kernel == "nearest")
        {
            var kernel = _kernel == "nearest" ? Enums.Kernel.Nearest : Enums.Kernel.Lanczos3;
            return image.Apply(i => i.Resize(scale, kernel));
        }
        var width = (int)Math.Round(image.Width * scale);
        var height = (int)Math.Round(image.Height * scale);
        if (_kernel == "learned" && _upscaler is not null && image.Bands == 1 && image.Width == image.Height &&
            width == height && _upscaler.Upscale(image.Pixels, image.Width, width) is { } learned)
            return VipsImage.FromOwnedPixels(learned, width, height, 1);
        var pixels = Lanczos3.Enlarge(image.Pixels, image.Width, image.Height, image.Bands, width, height);
        return VipsImage.FromOwnedPixels(pixels, width, height, image.Bands);
    }
}
