using Aigc.Neural.Backend;

namespace Aigc.Neural.Layers;

/// <summary>nn.Flatten(): [N, ...] → [N, rest], sharing memory.</summary>
public sealed class Flatten(INeuralBackend backend) : Layer(backend)
{
    private readonly Reshape _reshape = new(backend);

    public override Tensor Forward(Tensor input) => _reshape.Forward(input);

    public override Tensor Backward(Tensor gradOutput) => _reshape.Backward(gradOutput);
}
