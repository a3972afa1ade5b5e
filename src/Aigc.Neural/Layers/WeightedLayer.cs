using Aigc.Neural.Backend;

namespace Aigc.Neural.Layers;

/// <summary>A layer with a weight and optional bias; spectral norm can be applied to the weight.</summary>
public abstract class WeightedLayer : Layer
{
    protected WeightedLayer(INeuralBackend backend, int[] weightShape, int biasLength, bool bias) : base(backend)
    {
        Weight = new Parameter("weight", new Tensor(weightShape));
        Bias = bias ? new Parameter("bias", new Tensor(biasLength)) : null;
    }

    public Parameter Weight { get; private set; }

    public Parameter? Bias { get; }

    public SpectralNorm? SpectralNorm { get; private set; }

    /// <summary>PyTorch's fan_in for this weight (used by the default initialisation).</summary>
    public abstract int FanIn { get; }

    /// <summary>The dimension spectral norm treats as output (PyTorch: 1 for ConvTranspose, else 0).</summary>
    protected virtual int SpectralNormDim => 0;

    /// <summary>As torch.nn.utils.spectral_norm: the weight becomes weight_orig, with buffers weight_u and weight_v.</summary>
    public void ApplySpectralNorm(RandomSource random)
    {
        if (SpectralNorm is not null)
            throw new InvalidOperationException("Spectral norm is already applied to this layer.");
        SpectralNorm = new SpectralNorm(Weight.Value, SpectralNormDim, random);
        Weight = new Parameter("weight_orig", Weight.Value);
    }

    protected override IEnumerable<Parameter> LocalParameters()
    {
        yield return Weight;
        if (Bias is not null)
            yield return Bias;
    }

    protected override IEnumerable<(string Name, StateSlot Slot)> LocalBuffers()
    {
        if (SpectralNorm is null)
            yield break;
        yield return ("weight_u", new TensorSlot(SpectralNorm.U));
        yield return ("weight_v", new TensorSlot(SpectralNorm.V));
    }

    /// <summary>The weight the forward pass uses (W / σ under spectral norm).</summary>
    protected Tensor ForwardWeight()
    {
        if (SpectralNorm is null)
            return Weight.Value;
        SpectralNorm.Compute(Weight.Value, Training);
        return SpectralNorm.Normalized;
    }

    protected Tensor UsedWeight => SpectralNorm?.Normalized ?? Weight.Value;

    /// <summary>Where backward accumulates the gradient of the used weight; null when parameter gradients are off.</summary>
    protected Tensor? BeginWeightGradient()
    {
        if (!ParameterGradients)
            return null;
        if (SpectralNorm is null)
            return Weight.Grad;
        SpectralNorm.ZeroGradient();
        return SpectralNorm.NormalizedGrad;
    }

    protected Tensor? BiasGradient => ParameterGradients ? Bias?.Grad : null;

    protected void EndWeightGradient()
    {
        if (ParameterGradients)
            SpectralNorm?.Backward(Weight.Value, Weight.Grad);
    }

    protected Tensor? PrepareInputGradient(ref Tensor? buffer, Tensor input) =>
        InputGradient ? buffer = Tensor.Prepare(buffer, input.Shape) : null;
}
