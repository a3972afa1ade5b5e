using Aigc.Generation.Manifest;
using Aigc.Neural;
using Aigc.Neural.Backend;
using Aigc.Neural.Layers;
using Aigc.Neural.Training;

namespace Aigc.Generation.Networks;

/// <summary>
/// G(z, c): z concatenated with one embedding per categorical condition and the scaled numeric conditions,
/// viewed as [N, C, 1, 1], then the manifest's layers. State names: embeddings.&lt;condition&gt;.weight, net.&lt;i&gt;.*.
/// </summary>
public sealed class GeneratorNetwork : Module
{
    private readonly (string Name, Embedding Embedding)[] _embeddings;
    private readonly Concat _concat = new();
    private readonly Reshape _toImage;
    private readonly Tensor[] _parts;
    private readonly Tensor _numeric = new(0, 0);
    private readonly Tensor _latentGrad = new(0, 0);
    private readonly Tensor[] _blended;

    public GeneratorNetwork(CganManifest manifest, INeuralBackend backend, RandomSource random)
    {
        Manifest = manifest;
        Schema = manifest.Schema;
        Backend = backend;
        _embeddings = Schema.Categorical.Select(c => (c.Name, new Embedding(backend, c.Values!.Count, c.EmbeddingDim))).ToArray();
        InputChannels = manifest.LatentDim + Schema.EmbeddingWidth + Schema.Numeric.Count;
        _toImage = new Reshape(backend, InputChannels, 1, 1);
        int[] shape = [InputChannels, 1, 1];
        Net = LayerStackBuilder.Build(backend, manifest.Generator.Layers, ref shape, false, random, "generator");
        int[] expected = [manifest.Channels, manifest.ImageSize, manifest.ImageSize];
        if (!shape.SequenceEqual(expected))
            throw new ManifestException($"generator produces [{string.Join(", ", shape)}] but the manifest's image is [{string.Join(", ", expected)}].");
        _blended = _embeddings.Select(_ => new Tensor(0, 0)).ToArray();
        _parts = new Tensor[1 + _embeddings.Length + (Schema.Numeric.Count > 0 ? 1 : 0)];
        if (manifest.Init == "dcgan")
            Initialization.Dcgan(this, random);
        else
            Initialization.PyTorchDefault(this, random);
    }

    public CganManifest Manifest { get; }

    public ConditionSchema Schema { get; }

    public INeuralBackend Backend { get; }

    public int InputChannels { get; }

    public Sequential Net { get; }

    protected override IEnumerable<(string Name, Module Child)> Children() =>
        _embeddings.Select(e => ($"embeddings.{e.Name}", (Module)e.Embedding)).Append(("net", Net));

    /// <summary>z is [N, latentDim]; returns [N, channels, size, size] (owned by the network until the next call).</summary>
    /// <summary>Eval mode only; see <see cref="ConvTranspose2d.PrepareInference"/>. Call again after the weights change.</summary>
    public void PrepareInference()
    {
        foreach (var layer in Descendants().OfType<ConvTranspose2d>())
            layer.PrepareInference();
    }

    public Tensor Forward(Tensor z, ConditionBatch conditions, CancellationToken cancellationToken = default)
    {
        var n = z.Dim(0);
        if (z.Rank != 2 || z.Dim(1) != Manifest.LatentDim)
            throw new ArgumentException($"Generator expects z of shape [N, {Manifest.LatentDim}], got {z}.");
        if (conditions.Count != n || conditions.Schema.Categorical.Count != _embeddings.Length)
            throw new ArgumentException($"Generator got {conditions.Count} condition rows for {n} latents.");
        _parts[0] = z;
        for (var k = 0; k < _embeddings.Length; k++)
        {
            var own = _embeddings[k].Embedding.Forward(conditions.Indices[k]);
            _parts[k + 1] = conditions.TowardIndices is { } toward ? Blend(k, own, toward[k], conditions.TowardT!) : own;
        }

        if (Schema.Numeric.Count > 0)
        {
            _numeric.Resize([n, Schema.Numeric.Count]);
            conditions.Scaled.AsSpan(0, _numeric.Length).CopyTo(_numeric.Span);
            _parts[^1] = _numeric;
        }

        var x = _toImage.Forward(_concat.Forward(_parts));
        return Net.Forward(x, cancellationToken);
    }

    /// <summary>(1−t)·own + t·E[toward] row by row; t = 0 keeps the row bit for bit. Inference only: no backward.</summary>
    private Tensor Blend(int k, Tensor own, int[] toward, double[] t)
    {
        var embedding = _embeddings[k].Embedding;
        var dim = embedding.Dim;
        var output = _blended[k].Resize([own.Dim(0), dim]);
        var weights = embedding.Weight.Value.Span;
        for (var n = 0; n < own.Dim(0); n++)
        {
            var row = own.Span.Slice(n * dim, dim);
            var other = weights.Slice(toward[n] * dim, dim);
            var target = output.Span.Slice(n * dim, dim);
            for (var d = 0; d < dim; d++)
                target[d] = (float)((1 - t[n]) * row[d] + t[n] * other[d]);
        }

        return output;
    }

    /// <summary>Accumulates parameter gradients and returns dL/dz.</summary>
    public Tensor Backward(Tensor gradOutput)
    {
        var g = _toImage.Backward(Net.Backward(gradOutput)!);
        var parts = _concat.Backward(g);
        for (var k = 0; k < _embeddings.Length; k++)
            _embeddings[k].Embedding.Backward(parts[k + 1]);
        _latentGrad.Resize(parts[0].Shape);
        parts[0].Span.CopyTo(_latentGrad.Span);
        return _latentGrad;
    }
}
