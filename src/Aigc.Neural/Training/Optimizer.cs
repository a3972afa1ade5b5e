using Aigc.Neural.Layers;

namespace Aigc.Neural.Training;

public abstract class Optimizer(IEnumerable<Parameter> parameters)
{
    protected Parameter[] Parameters { get; } = parameters.ToArray();

    public abstract void Step();

    public void ZeroGrad()
    {
        foreach (var p in Parameters)
            p.Grad.Clear();
    }
}

/// <summary>torch.optim.Adam (amsgrad off): L2 weight decay added to the gradient, bias-corrected moments.</summary>
public sealed class Adam : Optimizer
{
    private readonly Tensor[] _m;
    private readonly Tensor[] _v;

    public Adam(IEnumerable<Parameter> parameters, float lr = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f,
        float eps = 1e-8f, float weightDecay = 0f) : base(parameters)
    {
        if (lr < 0 || eps < 0 || weightDecay < 0 || beta1 is < 0 or >= 1 || beta2 is < 0 or >= 1)
            throw new ArgumentOutOfRangeException(nameof(lr), $"Adam: invalid hyper-parameters lr={lr} betas=({beta1}, {beta2}) eps={eps} weight_decay={weightDecay}.");
        Lr = lr;
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        WeightDecay = weightDecay;
        _m = Parameters.Select(p => new Tensor(p.Value.Shape.ToArray())).ToArray();
        _v = Parameters.Select(p => new Tensor(p.Value.Shape.ToArray())).ToArray();
    }

    public float Lr { get; set; }

    public float Beta1 { get; }

    public float Beta2 { get; }

    public float Eps { get; }

    public float WeightDecay { get; }

    public long StepCount { get; private set; }

    /// <summary>exp_avg per parameter, in parameter order (for checkpoints).</summary>
    public IReadOnlyList<Tensor> FirstMoments => _m;

    /// <summary>exp_avg_sq per parameter, in parameter order (for checkpoints).</summary>
    public IReadOnlyList<Tensor> SecondMoments => _v;

    /// <summary>Restores the step counter from a checkpoint.</summary>
    public void SetStepCount(long step) => StepCount = step;

    public override void Step()
    {
        StepCount++;
        var bc1 = 1 - Math.Pow(Beta1, StepCount);
        var bc2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, StepCount));
        var stepSize = (float)(Lr / bc1);
        for (var i = 0; i < Parameters.Length; i++)
        {
            var w = Parameters[i].Value.Span;
            var g = Parameters[i].Grad.Span;
            var m = _m[i].Span;
            var v = _v[i].Span;
            for (var j = 0; j < w.Length; j++)
            {
                var grad = WeightDecay != 0 ? g[j] + WeightDecay * w[j] : g[j];
                m[j] = m[j] * Beta1 + grad * (1 - Beta1);
                v[j] = v[j] * Beta2 + grad * grad * (1 - Beta2);
                var denom = (float)(MathF.Sqrt(v[j]) / bc2Sqrt) + Eps;
                w[j] -= stepSize * (m[j] / denom);
            }
        }
    }
}

/// <summary>torch.optim.SGD: optional momentum (first step copies the gradient) and L2 weight decay.</summary>
public sealed class Sgd : Optimizer
{
    private readonly Tensor?[] _momentum;

    public Sgd(IEnumerable<Parameter> parameters, float lr, float momentum = 0f, float weightDecay = 0f) : base(parameters)
    {
        if (lr < 0 || momentum < 0 || weightDecay < 0)
            throw new ArgumentOutOfRangeException(nameof(lr), $"SGD: invalid hyper-parameters lr={lr} momentum={momentum} weight_decay={weightDecay}.");
        Lr = lr;
        Momentum = momentum;
        WeightDecay = weightDecay;
        _momentum = new Tensor?[Parameters.Length];
    }

    public float Lr { get; set; }

    public float Momentum { get; }

    public float WeightDecay { get; }

    public override void Step()
    {
        for (var i = 0; i < Parameters.Length; i++)
        {
            var w = Parameters[i].Value.Span;
            var g = Parameters[i].Grad.Span;
            Span<float> buf = default;
            var first = false;
            if (Momentum != 0)
            {
                first = _momentum[i] is null;
                _momentum[i] ??= new Tensor(Parameters[i].Value.Shape.ToArray());
                buf = _momentum[i]!.Span;
            }

            for (var j = 0; j < w.Length; j++)
            {
                var d = WeightDecay != 0 ? g[j] + WeightDecay * w[j] : g[j];
                if (Momentum != 0)
                {
                    buf[j] = first ? d : buf[j] * Momentum + d;
                    d = buf[j];
                }

                w[j] -= Lr * d;
            }
        }
    }
}
