namespace Aigc.Neural.Training;

/// <summary>Losses with mean reduction; each returns the loss and writes dLoss/dInput.</summary>
public static class Losses
{
    /// <summary>BCEWithLogitsLoss: mean of max(x,0) − x·t + log(1 + e^−|x|).</summary>
    public static double BceWithLogits(Tensor logits, ReadOnlySpan<float> targets, Tensor gradient)
    {
        var x = logits.Span;
        if (targets.Length != x.Length)
            throw new ArgumentException($"BCE-with-logits: {targets.Length} targets for {logits}.");
        var g = Prepare(gradient, logits);
        double sum = 0;
        var n = x.Length;
        for (var i = 0; i < n; i++)
        {
            double v = x[i];
            double t = targets[i];
            sum += Math.Max(v, 0) - v * t + Math.Log(1 + Math.Exp(-Math.Abs(v)));
            g[i] = (float)((1.0 / (1.0 + Math.Exp(-v)) - t) / n);
        }

        return sum / n;
    }

    /// <summary>BCE-with-logits against one constant target (1 for real, 0 for fake).</summary>
    public static double BceWithLogits(Tensor logits, float target, Tensor gradient)
    {
        var x = logits.Span;
        var g = Prepare(gradient, logits);
        double sum = 0;
        var n = x.Length;
        for (var i = 0; i < n; i++)
        {
            double v = x[i];
            sum += Math.Max(v, 0) - v * target + Math.Log(1 + Math.Exp(-Math.Abs(v)));
            g[i] = (float)((1.0 / (1.0 + Math.Exp(-v)) - target) / n);
        }

        return sum / n;
    }

    /// <summary>Discriminator hinge: mean(relu(1 − D(real))) + mean(relu(1 + D(fake))).</summary>
    public static double HingeDiscriminator(Tensor real, Tensor fake, Tensor gradReal, Tensor gradFake) =>
        HingeDiscriminatorReal(real, gradReal) + HingeDiscriminatorFake(fake, gradFake);

    /// <summary>The real half of the discriminator hinge, mean(relu(1 − D(real))).</summary>
    public static double HingeDiscriminatorReal(Tensor real, Tensor gradient) => Hinge(real, gradient, -1f);

    /// <summary>The fake half of the discriminator hinge, mean(relu(1 + D(fake))).</summary>
    public static double HingeDiscriminatorFake(Tensor fake, Tensor gradient) => Hinge(fake, gradient, 1f);

    private static double Hinge(Tensor logits, Tensor gradient, float sign)
    {
        var x = logits.Span;
        var g = Prepare(gradient, logits);
        double loss = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var margin = 1.0 + sign * x[i];
            loss += Math.Max(margin, 0);
            g[i] = margin > 0 ? sign / x.Length : 0f;
        }

        return loss / x.Length;
    }

    /// <summary>Generator hinge: −mean(D(fake)).</summary>
    public static double HingeGenerator(Tensor fake, Tensor gradient)
    {
        var f = fake.Span;
        var g = Prepare(gradient, fake);
        double sum = 0;
        for (var i = 0; i < f.Length; i++)
        {
            sum += f[i];
            g[i] = -1f / f.Length;
        }

        return -sum / f.Length;
    }

    private static Span<float> Prepare(Tensor gradient, Tensor like)
    {
        if (like.Length == 0)
            throw new ArgumentException("Loss of an empty batch.");
        gradient.Resize(like.Shape);
        return gradient.Span;
    }
}
