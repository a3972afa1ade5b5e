namespace Aigc.Imaging.Pipeline.Steps;

/// <summary>Chooses the output encoding: PNG (zlib level), JPEG (quality) or WebP (quality or lossless). Must come last.</summary>
public sealed class EncodeStep : IPipelineStep
{
    private readonly EncodeSettings _settings;

    public EncodeStep(StepParameters parameters)
    {
        var format = parameters.Choice("format", "png", "png", "jpeg", "webp");
        _settings = format switch
        {
            "png" => new EncodeSettings(ImageFormat.Png, Compression: parameters.Int("compression", EncodeSettings.DefaultPng.Compression, 0, 9)),
            "jpeg" => new EncodeSettings(ImageFormat.Jpeg, Quality: parameters.Int("quality", 90, 1, 100)),
            _ => new EncodeSettings(ImageFormat.Webp, Quality: parameters.Int("quality", 85, 1, 100), Lossless: parameters.Bool("lossless", false)),
        };
    }

    public string Name => "encode";

    public VipsImage? Apply(VipsImage image, PipelineRun run)
    {
        run.Encoding = _settings;
        return null;
    }
}
