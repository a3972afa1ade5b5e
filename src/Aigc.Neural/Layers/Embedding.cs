using Aigc.Neural.Backend;

namespace Aigc.Neural.Layers;

/// <summary>torch.nn.Embedding: a lookup table [count, dim] indexed by class.</summary>
public sealed class Embedding : Module
{
    private readonly INeuralBackend _backend;
    private int[] _indices = [];
    private int _count;
    private Tensor? _output;

    public Embedding(INeuralBackend backend, int count, int dim)
    {
        _backend = backend;
        Count = count;
        Dim = dim;
        Weight = new Parameter("weight", new Tensor(count, dim));
    }

    public int Count { get; }

    public int Dim { get; }

    public Parameter Weight { get; }

    protected override IEnumerable<Parameter> LocalParameters() => [Weight];

    public Tensor Forward(ReadOnlySpan<int> indices)
    {
        if (_indices.Length < indices.Length)
            _indices = new int[indices.Length];
        indices.CopyTo(_indices);
        _count = indices.Length;
        _output = Tensor.Prepare(_output, indices.Length, Dim);
        _backend.Embedding(Weight.Value, indices, _output);
        return _output;
    }

    public void Backward(Tensor gradOutput)
    {
        if (ParameterGradients)
            _backend.EmbeddingBackward(_indices.AsSpan(0, _count), gradOutput, Weight.Grad);
    }
}
