using System.Globalization;
using NetVips;

namespace Aigc.Imaging.Pipeline.Steps;

/// <summary>Brings the image to an aspect ratio such as 16:9, by centred crop or by padding with a colour.</summary>
public sealed class AspectStep : IPipelineStep
{
    private readonly double _ratio = 1;
    private readonly bool _pad;
    private readonly double[] _colour;

    public AspectStep(StepParameters parameters)
    {
        var text = parameters.String("ratio");
        var parts = text?.Split(':');
        if (parts is [var w, var h]
            && double.TryParse(w, NumberStyles.Float, CultureInfo.InvariantCulture, out var rw)
            && double.TryParse(h, NumberStyles.Float, CultureInfo.InvariantCulture, out var rh)
            && rw > 0 && rh > 0 && rw / rh is >= 0.05 and <= 20)
            _ratio = rw / rh;
        else
            parameters.Error("ratio", $"must be a ratio like 16:9 (between 1:20 and 20:1), got '{text ?? "(missing)"}'");
        _pad = parameters.Choice("mode", "crop", "crop", "pad") == "pad";
        _colour = parameters.Colour("colour", "#ffffff");
    }

    public string Name => "aspect";

    public VipsImage? Apply(VipsImage image, PipelineRun run)
    {
        int width = image.Width, height = image.Height;
        int targetWidth, targetHeight;
        if ((double)width / height > _ratio == _pad)
        {
            targetWidth = width;
            targetHeight = Math.Max(1, (int)Math.Round(width / _ratio));
        }
        else
        {
            targetHeight = height;
            targetWidth = Math.Max(1, (int)Math.Round(height * _ratio));
        }
        if (targetWidth == width && targetHeight == height) return null;
        if (!_pad)
            return image.Apply(i =>
                i.ExtractArea((width - targetWidth) / 2, (height - targetHeight) / 2, targetWidth, targetHeight));
        double[] background = image.Bands switch
        {
            1 => [(_colour[0] + _colour[1] + _colour[2]) / 3],
            2 => [(_colour[0] + _colour[1] + _colour[2]) / 3, 255],
            3 => _colour,
            _ => [.. _colour, 255],
        };
        return image.Apply(i => i.Embed((targetWidth - width) / 2, (targetHeight - height) / 2,
            targetWidth, targetHeight, Enums.Extend.Background, background));
    }
}
