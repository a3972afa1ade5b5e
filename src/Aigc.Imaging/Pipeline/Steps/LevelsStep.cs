namespace Aigc.Imaging.Pipeline.Steps;

/// <summary>
/// Black and white points, gamma and contrast (around mid-grey), folded into one 256-entry lookup table so the
/// step costs a single pass. Alpha is left alone.
/// </summary>
public sealed class LevelsStep : IPipelineStep, IDisposable
{
    private readonly VipsImage _lut;

    public LevelsStep(StepParameters parameters)
    {
        var black = parameters.Int("black", 0, 0, 254);
        var white = parameters.Int("white", 255, 1, 255);
        var gamma = parameters.Double("gamma", 1, 0.1, 10);
        var contrast = parameters.Double("contrast", 1, 0, 4);
        if (white <= black) parameters.Error("white", $"must be greater than 'black' ({black}), got '{white}'");
        var table = new byte[256];
        for (var v = 0; v < 256; v++)
        {
            var x = Math.Clamp((v - black) / (double)Math.Max(1, white - black), 0, 1);
            x = Math.Pow(x, 1 / gamma);
            x = (x - 0.5) * contrast + 0.5;
            table[v] = (byte)Math.Round(Math.Clamp(x, 0, 1) * 255);
        }
        _lut = VipsImage.FromPixels(table, 256, 1, 1);
    }

    public string Name => "levels";

    public VipsImage? Apply(VipsImage image, PipelineRun run)
    {
        if (!image.HasAlpha) return image.Apply(i => i.Maplut(_lut.Native));
        using var colour = image.Native.ExtractBand(0, image.Bands - 1);
        using var alpha = image.Native.ExtractBand(image.Bands - 1);
        using var mapped = colour.Maplut(_lut.Native);
        return new VipsImage(mapped.Bandjoin(alpha));
    }

    public void Dispose() => _lut.Dispose();
}
