using Aigc.Neural;

namespace Aigc.Generation.Sketches;

/// <summary>
/// Adam on the latent of each candidate row (the generator frozen, its parameter gradients off), minimising
/// mean(w·(G(z, c) − x)²) with w = <see cref="SketchRefinement.LineWeight"/> on the drawing's line pixels and 1
/// elsewhere (lines are a few percent of the pixels; unweighted, the search would settle for an empty image),
/// plus a small pull of |z|² towards the prior's norm. All candidates run as one batch.
/// </summary>
internal sealed class LatentSearch(NeuralEngine engine, Generator generator)
{
    private const float Beta1 = 0.9f;
    private const float Beta2 = 0.999f;
    private const float PriorWeight = 1e-3f;

    public (int Best, float[] Latent, double LineIoU) Run(float[] drawing, float[] start, IReadOnlyList<SketchCandidate> candidates,
        SketchRefinement refinement, CancellationToken cancellationToken)
    {
        refinement.Validate();
        var dim = start.Length;
        var rows = candidates.Count;
        var length = drawing.Length;
        var z = new Tensor(rows, dim);
        for (var r = 0; r < rows; r++)
            start.CopyTo(z.Span.Slice(r * dim, dim));
        var conditions = generator.Network.Schema.Encode(candidates.Select(c => c.Conditions).ToArray());
        var grad = new Tensor(rows, 1, (int)Math.Sqrt(length), (int)Math.Sqrt(length));
        var m = new float[z.Length];
        var v = new float[z.Length];
        var losses = new double[rows];
        using var lease = engine.Acquire(cancellationToken);
        for (var step = 1; step <= refinement.Steps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var image = generator.Network.Forward(z, conditions, cancellationToken);
            Loss(image.Span, drawing, refinement.LineWeight, grad.Span, losses);
            var dz = generator.Network.Backward(grad).Span;
            var zs = z.Span;
            var bc1 = 1 - Math.Pow(Beta1, step);
            var bc2 = Math.Sqrt(1 - Math.Pow(Beta2, step));
            for (var j = 0; j < zs.Length; j++)
            {
                var g = dz[j] + PriorWeight * 2 * zs[j] / dim;
                m[j] = Beta1 * m[j] + (1 - Beta1) * g;
                v[j] = Beta2 * v[j] + (1 - Beta2) * g * g;
                zs[j] -= (float)(refinement.LearningRate / bc1 * m[j] / (Math.Sqrt(v[j]) / bc2 + 1e-8));
            }
        }

        var final = generator.Network.Forward(z, conditions, cancellationToken).Span;
        var best = 0;
        var bestIoU = double.MinValue;
        for (var r = 0; r < rows; r++)
        {
            var iou = LineOverlap.IoU(final.Slice(r * length, length), drawing);
            if (iou > bestIoU)
                (best, bestIoU) = (r, iou);
        }

        return (best, z.Span.Slice(best * dim, dim).ToArray(), bestIoU);
    }

    /// <summary>Each row's weighted squared error, its gradient per pixel into <paramref name="gradient"/>.</summary>
    private static void Loss(ReadOnlySpan<float> images, ReadOnlySpan<float> drawing, float lineWeight, Span<float> gradient,
        double[] losses)
    {
        var length = drawing.Length;
        for (var r = 0; r < losses.Length; r++)
        {
            double sum = 0;
            for (var i = 0; i < length; i++)
            {
                var w = drawing[i] > 0 ? lineWeight : 1f;
                var d = images[r * length + i] - drawing[i];
                sum += w * d * d;
                gradient[r * length + i] = 2 * w * d / length;
            }

            losses[r] = sum / length;
        }
    }
}
