using System.Collections.Concurrent;
using Aigc.Imaging.Blueprint;
using Aigc.Imaging.Native.Vips;

namespace Aigc.Imaging.Pipeline.Steps;

/// <summary>
/// Turns the image into a blueprint sheet: edges (Sobel) become soft white lines on blueprint-blue grid paper,
/// framed, with a title block filled from the run's metadata.
/// </summary>
public sealed class BlueprintStyleStep : IPipelineStep, IDisposable
{
    /// <summary>Generated images come in a handful of sizes; beyond this many, papers are rendered per run.</summary>
    private const int MaxCachedPapers = 8;

    private readonly int _threshold;
    private readonly int _grid;
    private readonly string _scale;
    private readonly string _paperColour;
    private readonly ConcurrentDictionary<(int Width, int Height), Lazy<VipsImage>> _papers = new();

    public BlueprintStyleStep(StepParameters parameters)
    {
        _threshold = parameters.Int("threshold", 24, 0, 254);
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
        using var lines = ExtractLines(image);
        using var values = VipsImage.FromSvg(BlueprintSheetSvg.RenderTitleValues(layout, run.Metadata, _scale), layout.TitleBlockWidth, layout.TitleBlockHeight);
        var cached = _papers.Count < MaxCachedPapers || _papers.ContainsKey((image.Width, image.Height));
        // Lazy: concurrent first runs for a size render its paper once, and no loser is left undisposed.
        var paper = cached ? _papers.GetOrAdd((image.Width, image.Height), _ => new Lazy<VipsImage>(() => RenderPaper(layout))).Value : RenderPaper(layout);
        try
        {
            using var sheet = VipsOperation.Image("composite", ("in", new[] { paper, lines, values }), ("mode", new[] { 2, 2 }),
                ("x", new[] { layout.DrawingLeft, layout.TitleBlockLeft }), ("y", new[] { layout.DrawingTop, layout.TitleBlockTop }));
            return sheet.Call("extract_band", ("band", 0), ("n", 3));
        }
        finally
        {
            if (!cached) paper.Dispose();
        }
    }

    private VipsImage RenderPaper(BlueprintSheetLayout layout)
    {
        using var rgba = VipsImage.FromSvg(BlueprintSheetSvg.RenderPaper(layout, _paperColour), layout.SheetWidth, layout.SheetHeight);
        return rgba.CopyToMemory();
    }

    /// <summary>White RGBA whose alpha ramps from 0 at the threshold to 255 four grey levels of gradient later.</summary>
    private VipsImage ExtractLines(VipsImage image)
    {
        using var grey = image.Bands >= 3 ? image.Call("colourspace", ("space", "b-w")) : image.Call("copy");
        using var luminance = grey.Call("extract_band", ("band", 0));
        using var edges = luminance.Call("sobel");
        using var rgba = edges.Call("linear", ("a", new double[] { 0, 0, 0, 4 }), ("b", new double[] { 255, 255, 255, -4.0 * _threshold }));
        using var uchar = rgba.Call("cast", ("format", "uchar"));
        return uchar.Call("copy", ("interpretation", "srgb"));
    }

    public void Dispose()
    {
        foreach (var paper in _papers.Values.Where(p => p.IsValueCreated)) paper.Value.Dispose();
        _papers.Clear();
    }
}
