using System.Globalization;

namespace Aigc.Imaging.Pipeline.Steps;

/// <summary>
/// Chooses the output encoding: PNG (compression: a zlib level 0–9, or "rle", the default: zlib's run-length
/// matching), JPEG (quality) or WebP (quality or lossless). Must come last.
/// </summary>
public sealed class EncodeStep : IPipelineStep
{
    private readonly EncodeSettings _settings;

    public EncodeStep(StepParameters parameters)
    {
        var format = parameters.Choice("format", "png", "png", "jpeg", "webp");
        _settings = format switch
        {
            "png" => Png(parameters),
            "jpeg" => new EncodeSettings(ImageFormat.Jpeg, Quality: parameters.Int("quality", 90, 1, 100)),
            _ => new EncodeSettings(ImageFormat.Webp, Quality: parameters.Int("quality", 85, 1, 100), Lossless: parameters.Bool("lossless", false)),
        };
    }

    public string Name => "encode";

    private static EncodeSettings Png(StepParameters parameters)
    {
        var text = parameters.String("compression");
        if (text is null || string.Equals(text, "rle", StringComparison.OrdinalIgnoreCase))
            return EncodeSettings.DefaultPng;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var level) && level <= 9)
            return new EncodeSettings(ImageFormat.Png, Compression: level);
        parameters.Error("compression", $"must be a zlib level from 0 to 9 or rle, got '{text}'");
        return EncodeSettings.DefaultPng;
    }

    public VipsImage? Apply(VipsImage image, PipelineRun run)
    {
        run.Encoding = _settings;
        return null;
    }
}
