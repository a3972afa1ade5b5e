namespace Aigc.Imaging.Pipeline.Steps;

/// <summary>Records a WebP thumbnail (fitting a <c>size</c>-pixel square) of the image as it is at this point.</summary>
public sealed class ThumbnailStep : IPipelineStep
{
    private readonly int _size;
    private readonly int _quality;

    public ThumbnailStep(StepParameters parameters)
    {
        _size = parameters.Int("size", 256, 16, 1024);
        _quality = parameters.Int("quality", 80, 1, 100);
    }

    public string Name => "thumbnail";

    public VipsImage? Apply(VipsImage image, PipelineRun run)
    {
        using var small = image.Thumbnail(_size, _size);
        run.Thumbnail = small.EncodeWebp(_quality);
        return null;
    }
}
