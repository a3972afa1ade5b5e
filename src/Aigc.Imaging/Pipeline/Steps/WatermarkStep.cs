using System.Security;
using Aigc.Imaging.Native.Vips;

namespace Aigc.Imaging.Pipeline.Steps;

/// <summary>Overlays a text (Inter, via Pango) or a logo image at a corner or the centre, with an opacity.</summary>
public sealed class WatermarkStep : IPipelineStep, IDisposable
{
    private readonly string? _text;
    private readonly VipsImage? _logo;
    private readonly double _opacity;
    private readonly string _position;
    private readonly double _size;
    private readonly double _margin;
    private readonly double[] _colour;

    public WatermarkStep(StepParameters parameters, ImageLimits limits)
    {
        _text = parameters.String("text");
        var logoPath = parameters.String("logo");
        if ((_text is null) == (logoPath is null))
            parameters.StepError("needs exactly one of the parameters 'text' or 'logo'");
        if (_text is { Length: 0 }) parameters.Error("text", "must not be empty");
        if (logoPath is not null) _logo = LoadLogo(parameters, logoPath, limits);
        _opacity = parameters.Double("opacity", 0.5, 0, 1);
        _position = parameters.Choice("position", "bottom-right", "top-left", "top-right", "bottom-left", "bottom-right", "centre");
        _size = parameters.Double("size", logoPath is null ? 0.05 : 0.2, 0.01, 1);
        _margin = parameters.Double("margin", 0.03, 0, 0.25);
        _colour = parameters.Colour("colour", "#ffffff");
    }

    public string Name => "watermark";

    public VipsImage? Apply(VipsImage image, PipelineRun run)
    {
        using var overlay = _logo is null ? RenderText(image.Width) : ScaleLogo(image.Width);
        using var rgb = image.Bands <= 2 ? image.Call("colourspace", ("space", "srgb")) : image.Call("copy");
        var margin = (int)Math.Round(_margin * image.Width);
        var x = _position switch
        {
            "top-left" or "bottom-left" => margin,
            "centre" => (image.Width - overlay.Width) / 2,
            _ => image.Width - overlay.Width - margin,
        };
        var y = _position switch
        {
            "top-left" or "top-right" => margin,
            "centre" => (image.Height - overlay.Height) / 2,
            _ => image.Height - overlay.Height - margin,
        };
        using var composed = VipsOperation.Image("composite2", ("base", rgb), ("overlay", overlay), ("mode", "over"), ("x", x), ("y", y));
        return rgb.HasAlpha ? composed.Call("cast", ("format", "uchar")) : composed.Call("extract_band", ("band", 0), ("n", 3));
    }

    private VipsImage RenderText(int imageWidth)
    {
        var pixels = Math.Max(8, (int)Math.Round(_size * imageWidth));
        using var mask = VipsOperation.Image("text", ("text", SecurityElement.Escape(_text!)), ("font", $"Inter Semi-Bold {pixels}px"), ("dpi", 72));
        // One-band coverage mask to RGBA: constant colour, alpha = coverage × opacity.
        using var rgba = mask.Call("linear", ("a", new[] { 0, 0, 0, _opacity }), ("b", new[] { _colour[0], _colour[1], _colour[2], 0 }));
        using var uchar = rgba.Call("cast", ("format", "uchar"));
        return uchar.Call("copy", ("interpretation", "srgb"));
    }

    private VipsImage ScaleLogo(int imageWidth)
    {
        var logo = _logo!;
        using var scaled = logo.Call("resize", ("scale", Math.Max(1.0, _size * imageWidth) / logo.Width), ("kernel", "lanczos3"));
        using var faded = scaled.Call("linear", ("a", new[] { 1, 1, 1, _opacity }), ("b", new double[] { 0, 0, 0, 0 }));
        using var uchar = faded.Call("cast", ("format", "uchar"));
        return uchar.Call("copy", ("interpretation", "srgb"));
    }

    private static VipsImage? LoadLogo(StepParameters parameters, string path, ImageLimits limits)
    {
        try
        {
            using var decoded = ImageDecoder.Decode(File.ReadAllBytes(path), limits);
            using var rgb = decoded.Bands <= 2 ? decoded.Call("colourspace", ("space", "srgb")) : decoded.Call("copy");
            return rgb.HasAlpha ? rgb.Call("copy") : rgb.Call("bandjoin_const", ("c", new double[] { 255 }));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ImageRejectedException)
        {
            parameters.Error("logo", $"could not be loaded from '{path}': {e.Message}");
            return null;
        }
    }

    public void Dispose() => _logo?.Dispose();
}
