namespace Aigc.Neural.Backend;

public enum ActivationKind
{
    ReLU,
    LeakyReLU,
    Tanh,
    Sigmoid,
}

/// <summary>
/// The compute seam: whole-layer operations with PyTorch semantics. Layers own parameters and shapes and
/// call these; a CUDA backend implements the same set. Backward methods accumulate into parameter
/// gradients (as PyTorch's .grad) and overwrite input gradients; a null gradient argument is not computed.
/// </summary>
public interface INeuralBackend
{
    string Name { get; }

    /// <summary>y[N,O] = x[N,I]·wᵀ + b, w is [O,I].</summary>
    void Linear(Tensor x, Tensor w, Tensor? b, Tensor y);

    void LinearBackward(Tensor x, Tensor w, Tensor dy, Tensor? dx, Tensor? dw, Tensor? db);

    /// <summary>
    /// w is [O, C, kh, kw]. When <paramref name="columns"/> is given, the unfolded input (im2col) is kept there so that
    /// <see cref="Conv2dBackward"/> can reuse it instead of unfolding again.
    /// </summary>
    void Conv2d(Tensor x, Tensor w, Tensor? b, ConvGeometry g, Tensor y, Tensor? columns = null);

    /// <param name="columns">The columns kept by the matching <see cref="Conv2d"/> call, or null to unfold x again.</param>
    void Conv2dBackward(Tensor x, Tensor w, Tensor dy, ConvGeometry g, Tensor? dx, Tensor? dw, Tensor? db, Tensor? columns = null);

    /// <summary>
    /// w is [Cin, Cout, kh, kw] as in PyTorch. <paramref name="weightByOutput"/>, when given, is the same weight laid out
    /// as [Cout·kh·kw, Cin] (<see cref="Layers.ConvTranspose2d.PrepareInference"/>): the result is bit for bit the same.
    /// </summary>
    void ConvTranspose2d(Tensor x, Tensor w, Tensor? b, ConvGeometry g, Tensor y, Tensor? weightByOutput = null);

    void ConvTranspose2dBackward(Tensor x, Tensor w, Tensor dy, ConvGeometry g, Tensor? dx, Tensor? dw, Tensor? db);

    /// <summary>Normalises with batch statistics; writes per-channel mean and biased variance.</summary>
    void BatchNormTraining(Tensor x, Tensor gamma, Tensor beta, float eps, Tensor y, Tensor mean, Tensor variance);

    void BatchNormInference(Tensor x, Tensor gamma, Tensor beta, Tensor mean, Tensor variance, float eps, Tensor y);

    /// <summary><paramref name="batchStatistics"/>: mean/variance came from this batch (training) rather than running statistics.</summary>
    void BatchNormBackward(Tensor x, Tensor gamma, Tensor mean, Tensor variance, float eps, bool batchStatistics,
        Tensor dy, Tensor dx, Tensor? dgamma, Tensor? dbeta);

    void Activation(ActivationKind kind, float slope, Tensor x, Tensor y);

    void ActivationBackward(ActivationKind kind, float slope, Tensor x, Tensor y, Tensor dy, Tensor dx);

    /// <summary>y[N,D] = table[indices[n]].</summary>
    void Embedding(Tensor table, ReadOnlySpan<int> indices, Tensor y);

    void EmbeddingBackward(ReadOnlySpan<int> indices, Tensor dy, Tensor dtable);
}
