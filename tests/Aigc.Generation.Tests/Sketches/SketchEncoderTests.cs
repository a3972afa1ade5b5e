using System.Runtime.InteropServices;
using Aigc.Generation.Datasets;
using Aigc.Generation.Manifest;
using Aigc.Generation.Sketches;
using Aigc.Neural;

namespace Aigc.Generation.Tests.Sketches;

/// <summary>
/// The shipped v2 encoder on drawings of a seed it never trained on (training used seed 21): a small sample of the
/// Proof that `aigc sketch eval` runs on 300 drawings (docs/benchmarks.md).
/// </summary>
public class SketchEncoderTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const ulong HeldOutSeed = 424242;

    private static readonly Lazy<SketchEncoder> Shipped = new(() =>
    {
        var folder = Path.Combine(RepositoryFolders.Models, "blueprints", "v2");
        return SketchEncoder.Load(Path.Combine(folder, "generator.safetensors"), Path.Combine(folder, SketchEncoder.WeightsFile),
            CganManifest.Load(Path.Combine(folder, "manifest.json")), Support.Engine("openblas"));
    });

    [Fact]
    public void The_shipped_encoder_recovers_the_part_and_redraws_held_out_drawings_better_than_a_random_latent()
    {
        var report = SketchEvaluation.Run(Shipped.Value, 16, HeldOutSeed, SketchRefinement.Default);
        output.WriteLine($"part {report.PartAccuracy:P0}, IoU {report.LineIoU:F3} vs random {report.BaselineLineIoU:F3}, " +
            $"degraded part {report.DegradedPartAccuracy:P0}");
        Assert.True(report.PartAccuracy >= 0.8, $"part right for {report.PartAccuracy:P0}");
        Assert.True(report.DegradedPartAccuracy >= 0.7, $"degraded part right for {report.DegradedPartAccuracy:P0}");
        Assert.True(report.LineIoU >= 0.5, $"line IoU {report.LineIoU:F3}");
        Assert.True(report.LineIoU > report.BaselineLineIoU + 0.1, $"IoU {report.LineIoU:F3} vs random {report.BaselineLineIoU:F3}");
    }

    [Fact]
    public void Latent_steps_through_the_frozen_generator_redraw_the_drawing_closer_than_the_guess()
    {
        var drawings = SyntheticDrawings.Render(8, HeldOutSeed + 1, 64);
        double guess = 0, refined = 0;
        for (var i = 0; i < drawings.Count; i++)
        {
            guess += Shipped.Value.Encode(drawings.Image(i), SketchRefinement.None).LineIoU;
            refined += Shipped.Value.Encode(drawings.Image(i), SketchRefinement.Default with { Candidates = 1 }).LineIoU;
        }

        output.WriteLine($"mean IoU: guess {guess / 8:F3}, after steps {refined / 8:F3}");
        Assert.True(refined > guess, $"steps gave IoU {refined / 8:F3}, the guess {guess / 8:F3}");
    }

    [Fact]
    public void Encoding_is_repeatable_and_its_latent_redraws_the_reported_image()
    {
        var drawing = SyntheticDrawings.Render(1, HeldOutSeed + 2, 64).Image(0).ToArray();
        var first = Shipped.Value.Encode(drawing, SketchRefinement.Default);
        var second = Shipped.Value.Encode(drawing, SketchRefinement.Default);
        Assert.Equal(first.Latent, second.Latent);
        Assert.Equal(first.Conditions.Category("part"), second.Conditions.Category("part"));
        var image = SketchEvaluation.Reconstruct(Shipped.Value, first);
        Assert.Equal(first.LineIoU, LineOverlap.IoU(image, drawing), 6);
    }

    [Fact]
    public void A_given_latent_generates_bit_for_bit_what_its_seed_does()
    {
        var generator = Shipped.Value.Generator;
        var conditions = new BlueprintLabel("flange", "front", "medium").ToConditionValues();
        var seeded = new GenerationItem(conditions, 77, 3);
        var given = new GenerationItem(conditions, 0) { Latent = generator.Latents([seeded]) };
        var images = generator.Generate([seeded, given]);
        Assert.Equal(MemoryMarshal.Cast<float, int>(images[0]).ToArray(), MemoryMarshal.Cast<float, int>(images[1]).ToArray());
        Assert.Throws<ArgumentException>(() => generator.Generate([new GenerationItem(conditions, 0) { Latent = new float[5] }]));
    }

    [Fact]
    public void The_encoder_refuses_a_drawing_of_the_wrong_size()
    {
        var e = Assert.Throws<ArgumentException>(() => Shipped.Value.Encode(new float[100], SketchRefinement.None));
        Assert.Contains("64²", e.Message);
    }
}
