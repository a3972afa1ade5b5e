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

    /// <summary>w is [O, C, kh, kw].</summary>
    void Conv2d(Tensor x, Tensor w, Tensor? b, ConvGeometry g, Tensor y);

    void Conv2dBackward(Tensor x, Tensor w, Tensor dy, ConvGeometry g, Tensor? dx, Tensor? dw, Tensor? db);

    /// <summary>w is [Cin, Cout, kh, kw] as in PyTorch.</summary>
    void ConvTranspose2d(Tensor x, Tensor w, Tensor? b, ConvGeometry g, Tensor y);

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
