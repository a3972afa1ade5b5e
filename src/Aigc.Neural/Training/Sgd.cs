using Aigc.Neural.Layers;

namespace Aigc.Neural.Training;

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
