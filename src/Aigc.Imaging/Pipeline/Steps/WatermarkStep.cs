using System.Security;
using NetVips;

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
        using var rgb = image.Bands <= 2 ? image.Native.Colourspace(Enums.Interpretation.Srgb) : image.Native.Copy();
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
        using var composed = rgb.Composite2(overlay.Native, Enums.BlendMode.Over, x, y);
        return new VipsImage(rgb.HasAlpha() ? composed.Cast(Enums.BandFormat.Uchar) : composed.ExtractBand(0, 3));
    }

    private VipsImage RenderText(int imageWidth)
    {
        var pixels = Math.Max(8, (int)Math.Round(_size * imageWidth));
        Libvips.EnsureStarted();
        using var mask = Image.Text(SecurityElement.Escape(_text!), font: $"Inter Semi-Bold {pixels}px", dpi: 72);
        // One-band coverage mask to RGBA: constant colour, alpha = coverage × opacity.
        using var rgba = mask.Linear([0, 0, 0, _opacity], [_colour[0], _colour[1], _colour[2], 0]);
        using var uchar = rgba.Cast(Enums.BandFormat.Uchar);
        return new VipsImage(uchar.Copy(interpretation: Enums.Interpretation.Srgb));
    }

    private VipsImage ScaleLogo(int imageWidth)
    {
        var logo = _logo!;
        using var scaled = logo.Native.Resize(Math.Max(1.0, _size * imageWidth) / logo.Width, Enums.Kernel.Lanczos3);
        using var faded = scaled.Linear([1, 1, 1, _opacity], [0, 0, 0, 0]);
        using var uchar = faded.Cast(Enums.BandFormat.Uchar);
        return new VipsImage(uchar.Copy(interpretation: Enums.Interpretation.Srgb));
    }

    private static VipsImage? LoadLogo(StepParameters parameters, string path, ImageLimits limits)
    {
        try
        {
            using var decoded = ImageDecoder.Decode(File.ReadAllBytes(path), limits);
            using var rgb = decoded.Bands <= 2
                ? decoded.Native.Colourspace(Enums.Interpretation.Srgb)
                : decoded.Native.Copy();
            return new VipsImage(rgb.HasAlpha() ? rgb.Copy() : rgb.BandjoinConst([255]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ImageRejectedException)
        {
            parameters.Error("logo", $"could not be loaded from '{path}': {e.Message}");
            return null;
        }
    }

    public void Dispose() => _logo?.Dispose();
}
