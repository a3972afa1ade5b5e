using Aigc.Imaging.Metadata;
using NetVips;
using Aigc.Imaging.Pipeline;
using Aigc.Imaging.Pipeline.Steps;

namespace Aigc.Imaging.Ads;

/// <summary>Draws a blueprint (white lines on black, decision 0005) into an image slot with one of the treatments.</summary>
internal static class ProductShot
{
    /// <summary>Room left around the drawing inside its slot, as a fraction of the slot.</summary>
    private const double Padding = 0.04;

    public static VipsImage Render(VipsImage blueprint, BlueprintMetadata? metadata, ProductShotTreatment treatment,
        BrandPalette palette, BrandToken fillToken, int width, int height)
    {
        var fill = palette[fillToken];
        var (innerWidth, innerHeight) = (Math.Max(1, (int)(width * (1 - 2 * Padding))), Math.Max(1, (int)(height * (1 - 2 * Padding))));
        using var ground = Layers.Solid(width, height, fill);
        if (treatment == ProductShotTreatment.Sheet)
        {
            using var sheet = BlueprintSheet(blueprint, metadata, palette.Primary);
            using var fitted = Layers.Contain(sheet, innerWidth, innerHeight);
            return ground.Apply(g => g.Insert(fitted.Native, (width - fitted.Width) / 2, (height - fitted.Height) / 2));
        }

        using var luminance = Luminance(blueprint);
        using var scaled = Layers.Contain(luminance, innerWidth, innerHeight);
        // Line: a steep ramp after scaling sends the generator's grey haze to the ground and the strokes to full
        // strength with crisp edges. Recolour keeps every tone of the drawing, mapped from the ground to the brand colour.
        using var mask = treatment == ProductShotTreatment.Line
            ? scaled.Native.Linear([255.0 / 120], [-70 * 255.0 / 120])
            : scaled.Native.Copy();
        using var maskUchar = mask.Cast(Enums.BandFormat.Uchar);
        using var placed = new VipsImage(
            maskUchar.Embed((width - scaled.Width) / 2, (height - scaled.Height) / 2, width, height));
        var lines = treatment == ProductShotTreatment.Line
            ? FirstLegible(fill, palette.Background, palette.Primary, palette.Secondary)
            : FirstLegible(fill, palette.Primary, palette.Secondary, palette.Background);
        return Layers.Tint(placed, lines, ground);
    }

    /// <summary>The first brand colour, in the treatment's order of preference, that stands out (3:1) on the ground; else ink or white.</summary>
    private static RgbColour FirstLegible(RgbColour ground, params ReadOnlySpan<RgbColour> preferred)
    {
        foreach (var colour in preferred)
            if (ground.ContrastWith(colour) >= 3) return colour;
        return ground.MostLegible(RgbColour.Ink, RgbColour.White);
    }

    private static VipsImage Luminance(VipsImage image)
    {
        using var opaque = image.Flatten(0, 0, 0);
        return opaque.Bands >= 3 ? opaque.ToGreyscale() : opaque.Apply(i => i.ExtractBand(0));
    }

    private static VipsImage BlueprintSheet(VipsImage blueprint, BlueprintMetadata? metadata, RgbColour paper)
    {
        var errors = new List<string>();
        var parameters = new StepParameters("ads", 1, "blueprint", new Dictionary<string, string> { ["paper"] = paper.Hex }, errors);
        using var step = new BlueprintStyleStep(parameters);
        if (errors.Count > 0) throw new InvalidOperationException(string.Join("; ", errors));
        using var opaque = blueprint.Flatten(0, 0, 0);
        using var rgb = opaque.Apply(i => i.Bands >= 3 ? i.Copy() : i.Colourspace(Enums.Interpretation.Srgb));
        // The sheet's grid and title block are drawn for the drawing's size; small generator outputs get room first.
        using var drawing = rgb.Apply(i =>
            i.Width >= 256 ? i.Copy() : i.Resize(256.0 / i.Width, Enums.Kernel.Lanczos3));
        return step.Apply(drawing, new PipelineRun("ads", metadata))!;
    }
}
