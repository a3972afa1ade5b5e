using System.Collections.Concurrent;
using Aigc.Imaging.Blueprint;
using NetVips;

namespace Aigc.Imaging.Pipeline.Steps;

/// <summary>
/// Turns the image into a blueprint sheet: edges (Sobel) become soft white lines on blueprint-blue grid paper,
/// framed, with a title block filled from the run's metadata.
/// </summary>
public sealed class BlueprintStyleStep : IPipelineStep, IDisposable
{
    /// <summary>Generated images come in a handful of sizes; beyond this many, papers are rendered per run.</summary>
    private const int MaxCachedPapers = 8;

    /// <summary>Rec. 709 luma weights; a recomb is far cheaper than a colourspace conversion to B_W.</summary>
    private static readonly Lazy<VipsImage> Luma = new(() => VipsImage.Matrix(3, 1, [0.2126, 0.7152, 0.0722]));

    private readonly int _threshold;
    private readonly int _grid;
    private readonly string _scale;
    private readonly string _paperColour;
    private readonly ConcurrentDictionary<(int Width, int Height), Lazy<Paper>> _papers = new();

    public BlueprintStyleStep(StepParameters parameters)
    {
        _threshold = parameters.Int("threshold", 32, 0, 254);
        _grid = parameters.Int("grid", 16, 4, 256);
        _scale = parameters.String("scale", "1:1")!;
        if (_scale.Length is 0 or > 12) parameters.Error("scale", $"must be 1 to 12 characters, like 1:2, got '{_scale}'");
        var paper = parameters.Colour("paper", "#0b4f9c");
        _paperColour = $"#{(int)paper[0]:x2}{(int)paper[1]:x2}{(int)paper[2]:x2}";
    }

    public string Name => "blueprint";

    public VipsImage? Apply(VipsImage image, PipelineRun run)
    {
        var layout = new BlueprintSheetLayout(image.Width, image.Height, _grid);
        using var values = VipsImage.FromSvg(BlueprintSheetSvg.RenderTitleValues(layout, run.Metadata, _scale), layout.TitleBlockWidth, layout.TitleBlockHeight);
        using var valueCoverage = values.Native.ExtractBand(3);
        using var lines = LineCoverage(image);
        // Lines and text are both white, so one coverage mask and a blended ifthenelse draw them: much cheaper than
        // composite, which converts the whole sheet to float and back.
        using var onSheet = lines.Embed(layout.DrawingLeft, layout.DrawingTop, layout.SheetWidth, layout.SheetHeight);
        using var coverage = onSheet.Insert(valueCoverage, layout.TitleBlockLeft, layout.TitleBlockTop);
        var cached = _papers.Count < MaxCachedPapers || _papers.ContainsKey((image.Width, image.Height));
        // Lazy: concurrent first runs for a size render its paper once, and no loser is left undisposed.
        var paper = cached ? _papers.GetOrAdd((image.Width, image.Height), _ => new Lazy<Paper>(() => Paper.Render(layout, _paperColour))).Value : Paper.Render(layout, _paperColour);
        try
        {
            return new VipsImage(coverage.Ifthenelse(paper.White.Native, paper.Sheet.Native, blend: true));
        }
        finally
        {
            if (!cached) paper.Dispose();
        }
    }

    /// <summary>One band: 0 away from edges, ramping to 255 four gradient levels above the threshold.</summary>
    private Image LineCoverage(VipsImage image)
    {
        using var colour = image.Native.ExtractBand(0, image.Bands >= 3 ? 3 : 1);
        using var luminance = image.Bands >= 3 ? colour.Recomb(Luma.Value.Native) : colour.Copy();
        using var grey = luminance.Cast(Enums.BandFormat.Uchar);
        using var edges = grey.Sobel();
        using var ramp = edges.Linear([4], [-4.0 * _threshold]);
        return ramp.Cast(Enums.BandFormat.Uchar);
    }

    /// <summary>The rendered paper of one sheet size, and a white image of the same size to blend lines towards.</summary>
    private sealed record Paper(VipsImage Sheet, VipsImage White) : IDisposable
    {
        public static Paper Render(BlueprintSheetLayout layout, string colour)
        {
            using var rgba = VipsImage.FromSvg(BlueprintSheetSvg.RenderPaper(layout, colour), layout.SheetWidth, layout.SheetHeight);
            using var rgb = rgba.Native.ExtractBand(0, 3);
            using var black = Image.Black(layout.SheetWidth, layout.SheetHeight, 3);
            using var white = black.Linear([1], [255]);
            using var whiteUchar = white.Cast(Enums.BandFormat.Uchar);
            using var whiteSrgb = whiteUchar.Copy(interpretation: Enums.Interpretation.Srgb);
            return new Paper(new VipsImage(rgb.CopyMemory()), new VipsImage(whiteSrgb.CopyMemory()));
        }

        public void Dispose()
        {
            Sheet.Dispose();
            White.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var paper in _papers.Values.Where(p => p.IsValueCreated)) paper.Value.Dispose();
        _papers.Clear();
    }
}
