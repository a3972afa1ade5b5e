namespace Aigc.Neural.Layers;

/// <summary>One entry of a module's state_dict: a float tensor or an int64 counter.</summary>
public abstract class StateSlot
{
    public abstract int[] Shape { get; }
}

public sealed class TensorSlot(Tensor tensor) : StateSlot
{
    public Tensor Tensor { get; } = tensor;

    public override int[] Shape => Tensor.Shape.ToArray();
}

/// <summary>A scalar int64, as BatchNorm's num_batches_tracked.</summary>
public sealed class CounterSlot(Func<long> get, Action<long> set) : StateSlot
{
    public override int[] Shape => [];

    public long Value
    {
        get => get();
        set => set(value);
    }
}
