namespace Aigc.Neural.Layers;

/// <summary>A trainable tensor and its gradient (accumulated by Backward, cleared by ZeroGrad).</summary>
public sealed class Parameter(string name, Tensor value)
{
    public string Name { get; } = name;

    public Tensor Value { get; } = value;

    public Tensor Grad { get; } = new(value.Shape.ToArray());
}
