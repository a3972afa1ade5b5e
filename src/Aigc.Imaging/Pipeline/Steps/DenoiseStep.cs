namespace Aigc.Imaging.Pipeline.Steps;

/// <summary>Median filter over a square window of odd <c>size</c>.</summary>
public sealed class DenoiseStep : IPipelineStep
{
    private readonly int _size;

    public DenoiseStep(StepParameters parameters)
    {
        _size = parameters.Int("size", 3, 3, 9);
        if (_size % 2 == 0) parameters.Error("size", $"must be odd, got '{_size}'");
    }

    public string Name => "denoise";

    public VipsImage? Apply(VipsImage image, PipelineRun run) =>
        image.Apply(i => i.Rank(_size, _size, _size * _size / 2));
}
