using Aigc.Neural.Backend;

namespace Aigc.Neural.Layers;

/// <summary>
/// torch.nn.BatchNorm2d (affine, track_running_stats). Training normalises with the batch's biased variance
/// and updates running_var with the unbiased one; eval uses the running statistics.
/// </summary>
public sealed class BatchNorm2d : Layer
{
    private readonly Tensor _batchMean;
    private readonly Tensor _batchVariance;
    private Tensor? _input;
    private Tensor? _output;
    private Tensor? _gradInput;
    private bool _usedBatchStatistics;

    public BatchNorm2d(INeuralBackend backend, int channels, float eps = 1e-5f, float momentum = 0.1f) : base(backend)
    {
        Channels = channels;
        Eps = eps;
        Momentum = momentum;
        Weight = new Parameter("weight", new Tensor(channels));
        Bias = new Parameter("bias", new Tensor(channels));
        Weight.Value.Fill(1f);
        RunningMean = new Tensor(channels);
        RunningVar = new Tensor(channels);
        RunningVar.Fill(1f);
        _batchMean = new Tensor(channels);
        _batchVariance = new Tensor(channels);
    }

    public int Channels { get; }

    public float Eps { get; }

    public float Momentum { get; }

    public Parameter Weight { get; }

    public Parameter Bias { get; }

    public Tensor RunningMean { get; }

    public Tensor RunningVar { get; }

    public long NumBatchesTracked { get; set; }

    protected override IEnumerable<Parameter> LocalParameters() => [Weight, Bias];

    protected override IEnumerable<(string Name, StateSlot Slot)> LocalBuffers() =>
    [
        ("running_mean", new TensorSlot(RunningMean)),
        ("running_var", new TensorSlot(RunningVar)),
        ("num_batches_tracked", new CounterSlot(() => NumBatchesTracked, v => NumBatchesTracked = v)),
    ];

    public override Tensor Forward(Tensor input)
    {
        RequireRank(input, 4, "BatchNorm2d");
        if (input.Dim(1) != Channels)
            throw new ArgumentException($"BatchNorm2d({Channels}) got input {input}.");
        _input = input;
        _output = Tensor.Prepare(_output, input.Shape);
        _usedBatchStatistics = Training;
        if (!Training)
        {
            Backend.BatchNormInference(input, Weight.Value, Bias.Value, RunningMean, RunningVar, Eps, _output);
            return _output;
        }

        var count = input.Length / Channels;
        if (count <= 1)
            throw new ArgumentException($"BatchNorm2d: expected more than 1 value per channel when training, got input {input}.");
        Backend.BatchNormTraining(input, Weight.Value, Bias.Value, Eps, _output, _batchMean, _batchVariance);
        var unbiased = (float)count / (count - 1);
        for (var c = 0; c < Channels; c++)
        {
            RunningMean[c] = (1 - Momentum) * RunningMean[c] + Momentum * _batchMean[c];
            RunningVar[c] = (1 - Momentum) * RunningVar[c] + Momentum * _batchVariance[c] * unbiased;
        }

        NumBatchesTracked++;
        return _output;
    }

    public override Tensor Backward(Tensor gradOutput)
    {
        var input = _input ?? throw new InvalidOperationException("BatchNorm2d.Backward called before Forward.");
        _gradInput = Tensor.Prepare(_gradInput, input.Shape);
        var (mean, variance) = _usedBatchStatistics ? (_batchMean, _batchVariance) : (RunningMean, RunningVar);
        Backend.BatchNormBackward(input, Weight.Value, mean, variance, Eps, _usedBatchStatistics, gradOutput, _gradInput,
            ParameterGradients ? Weight.Grad : null, ParameterGradients ? Bias.Grad : null);
        return _gradInput;
    }
}
