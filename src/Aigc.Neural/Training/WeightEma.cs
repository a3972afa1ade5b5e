using Aigc.Neural.Layers;

namespace Aigc.Neural.Training;

/// <summary>
/// Exponential moving average of a network's weights kept in a second network of the same architecture:
/// shadow = decay·shadow + (1 − decay)·weight for parameters; buffers (BatchNorm statistics, spectral-norm
/// vectors) are copied.
/// </summary>
public sealed class WeightEma
{
    private readonly (StateSlot Source, StateSlot Target, bool IsParameter)[] _pairs;

    public WeightEma(Module source, Module shadow, float decay)
    {
        if (decay is < 0 or > 1)
            throw new ArgumentOutOfRangeException(nameof(decay), $"EMA decay must be in [0, 1], got {decay}.");
        Decay = decay;
        var targets = shadow.StateDict().ToDictionary(e => e.Name, e => e.Slot);
        var parameterValues = source.Parameters().Select(p => p.Value).ToHashSet();
        var pairs = new List<(StateSlot, StateSlot, bool)>();
        foreach (var (name, slot) in source.StateDict())
        {
            if (!targets.Remove(name, out var target) || !target.Shape.SequenceEqual(slot.Shape))
                throw new ArgumentException($"EMA: the shadow network has no tensor '{name}' of shape [{string.Join(", ", slot.Shape)}].");
            pairs.Add((slot, target, slot is TensorSlot t && parameterValues.Contains(t.Tensor)));
        }

        if (targets.Count > 0)
            throw new ArgumentException($"EMA: the shadow network has extra tensors: {string.Join(", ", targets.Keys)}.");
        _pairs = pairs.ToArray();
        CopyAll();
    }

    public float Decay { get; }

    public void Update()
    {
        foreach (var (source, target, isParameter) in _pairs)
        {
            if (source is CounterSlot sc && target is CounterSlot tc)
            {
                tc.Value = sc.Value;
                continue;
            }

            var s = ((TensorSlot)source).Tensor.Span;
            var t = ((TensorSlot)target).Tensor.Span;
            if (!isParameter)
            {
                s.CopyTo(t);
                continue;
            }

            for (var i = 0; i < s.Length; i++)
                t[i] = Decay * t[i] + (1 - Decay) * s[i];
        }
    }

    private void CopyAll()
    {
        foreach (var (source, target, _) in _pairs)
        {
            if (source is CounterSlot sc && target is CounterSlot tc)
                tc.Value = sc.Value;
            else
                ((TensorSlot)source).Tensor.Span.CopyTo(((TensorSlot)target).Tensor.Span);
        }
    }
}
