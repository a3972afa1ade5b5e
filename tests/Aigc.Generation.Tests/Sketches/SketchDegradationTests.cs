using Aigc.Generation.Sketches;
using Aigc.Neural;

namespace Aigc.Generation.Tests.Sketches;

public class SketchDegradationTests
{
    [Fact]
    public void A_hand_degraded_drawing_keeps_most_of_its_lines_but_not_all_and_is_a_function_of_its_seed()
    {
        var drawing = SyntheticDrawings.Render(1, 5, 64).Image(0).ToArray();
        var a = SketchDegradation.Hand.Apply(drawing, 64, new RandomSource(9));
        var b = SketchDegradation.Hand.Apply(drawing, 64, new RandomSource(9));
        var c = SketchDegradation.Hand.Apply(drawing, 64, new RandomSource(10));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        var iou = LineOverlap.IoU(a, drawing);
        Assert.InRange(iou, 0.1, 0.9);
        Assert.True(a.Count(v => v > 0) > drawing.Count(v => v > 0), "the thicker pen draws more line pixels");
    }

    [Fact]
    public void Line_IoU_counts_bright_pixels_only()
    {
        float[] a = [1, 1, -1, -1];
        float[] b = [1, -1, 1, -1];
        Assert.Equal(1 / 3.0, LineOverlap.IoU(a, b), 9);
        Assert.Equal(1, LineOverlap.IoU([-1, -1], [-1, -1]));
        Assert.Throws<ArgumentException>(() => LineOverlap.IoU(a, [1f]));
    }
}
