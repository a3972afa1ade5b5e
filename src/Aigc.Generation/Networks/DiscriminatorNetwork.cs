using Aigc.Generation.Manifest;
using Aigc.Neural;
using Aigc.Neural.Backend;
using Aigc.Neural.Layers;
using Aigc.Neural.Training;

namespace Aigc.Generation.Networks;

/// <summary>
/// Projection discriminator (Miyato and Koyama 2018): features h = net(x) of width F, then
/// D(x, c) = head(h) + Σ_k ⟨E_k(c_k), h⟩ + ⟨P·v, h⟩ with one F-wide embedding per categorical condition and a
/// bias-free linear map P of the scaled numeric conditions. Spectral norm (when enabled) covers net and head.
/// State names: net.&lt;i&gt;.*, head.*, projections.&lt;condition&gt;.weight, numeric_projection.weight.
/// With packing p (manifest discriminator.pack), items p·j … p·j+p−1 must share their conditions and are judged
/// together: stacked as one [p·C, H, W] input, one logit per pack.
/// </summary>
public sealed class DiscriminatorNetwork : Module
{
    private readonly (string Name, Embedding Embedding)[] _projections;
    private readonly Linear? _numericProjection;
    private readonly Tensor _numeric = new(0, 0);
    private readonly Tensor _product = new(0, 0);
    private Tensor? _output;
    private Tensor? _features;
    private Tensor? _featureGrad;
    private Tensor? _numericFeatures;
    private Tensor[] _projected = [];
    private Tensor? _packed;
    private Tensor? _inputGrad;
    private ConditionBatch? _packConditions;

    public DiscriminatorNetwork(CganManifest manifest, INeuralBackend backend, RandomSource random)
    {
        Manifest = manifest;
        Schema = manifest.Schema;
        Pack = manifest.Discriminator.PackSize;
        int[] shape = [manifest.Channels * Pack, manifest.ImageSize, manifest.ImageSize];
        var sn = manifest.Discriminator.SpectralNorm;
        Net = LayerStackBuilder.Build(backend, manifest.Discriminator.Layers, ref shape, sn, random, "discriminator");
        if (shape.Length != 1)
            throw new ManifestException($"discriminator layers must end flat (add a flatten layer); they give [{string.Join(", ", shape)}].");
        Features = shape[0];
        Head = new Linear(backend, Features, 1);
        _projections = Schema.Categorical.Select(c => (c.Name, new Embedding(backend, c.Values!.Count, Features))).ToArray();
        if (Schema.Numeric.Count > 0)
            _numericProjection = new Linear(backend, Schema.Numeric.Count, Features, bias: false);
        if (manifest.Init == "dcgan")
            Initialization.Dcgan(this, random);
        else
            Initialization.PyTorchDefault(this, random);
        if (sn)
            Head.ApplySpectralNorm(random);
    }

    public CganManifest Manifest { get; }

    public ConditionSchema Schema { get; }

    public Sequential Net { get; }

    public Linear Head { get; }

    public int Features { get; }

    /// <summary>Images judged together; Forward returns one logit per pack.</summary>
    public int Pack { get; }

    protected override IEnumerable<(string Name, Module Child)> Children()
    {
        yield return ("net", Net);
        yield return ("head", Head);
        foreach (var (name, e) in _projections)
            yield return ($"projections.{name}", e);
        if (_numericProjection is not null)
            yield return ("numeric_projection", _numericProjection);
    }

    /// <summary>x is [N, channels, size, size]; returns logits [N / pack, 1].</summary>
    public Tensor Forward(Tensor x, ConditionBatch conditions, CancellationToken cancellationToken = default)
    {
        int[] expected = [x.Dim(0), Manifest.Channels, Manifest.ImageSize, Manifest.ImageSize];
        if (!x.HasShape(expected))
            throw new ArgumentException($"Discriminator expects images [N, {Manifest.Channels}, {Manifest.ImageSize}, {Manifest.ImageSize}], got {x}.");
        if (conditions.Count != x.Dim(0))
            throw new ArgumentException($"Discriminator got {conditions.Count} condition rows for {x.Dim(0)} images.");
        if (Pack > 1)
        {
            conditions = PackConditions(conditions);
            _packed = Tensor.Prepare(_packed, conditions.Count, Manifest.Channels * Pack, Manifest.ImageSize, Manifest.ImageSize);
            x.Span.CopyTo(_packed.Span);
            x = _packed;
        }

        var n = conditions.Count;
        var h = Net.Forward(x, cancellationToken);
        _features = h;
        _output = Tensor.Prepare(_output, n, 1);
        Head.Forward(h).Span.CopyTo(_output.Span);
        if (_projected.Length != _projections.Length)
            _projected = new Tensor[_projections.Length];
        for (var k = 0; k < _projections.Length; k++)
        {
            _projected[k] = _projections[k].Embedding.Forward(conditions.Indices[k]);
            AddRowDots(_projected[k], h, _output);
        }

        if (_numericProjection is not null)
        {
            _numeric.Resize([n, Schema.Numeric.Count]);
            conditions.Scaled.AsSpan(0, _numeric.Length).CopyTo(_numeric.Span);
            _numericFeatures = _numericProjection.Forward(_numeric);
            AddRowDots(_numericFeatures, h, _output);
        }

        return _output;
    }

    /// <summary>Accumulates parameter gradients and returns dL/dx, or null when <paramref name="inputGradient"/> is false.</summary>
    public Tensor? Backward(Tensor gradOutput, bool inputGradient = true)
    {
        Net.InputGradient = inputGradient;
        var h = _features ?? throw new InvalidOperationException("Discriminator.Backward called before Forward.");
        _featureGrad = Tensor.Prepare(_featureGrad, h.Shape);
        Head.Backward(gradOutput)!.Span.CopyTo(_featureGrad.Span);
        for (var k = 0; k < _projections.Length; k++)
        {
            ScaleRows(h, gradOutput, _product);
            _projections[k].Embedding.Backward(_product);
            AddScaledRows(_projected[k], gradOutput, _featureGrad);
        }

        if (_numericProjection is not null)
        {
            ScaleRows(h, gradOutput, _product);
            _numericProjection.Backward(_product);
            AddScaledRows(_numericFeatures!, gradOutput, _featureGrad);
        }

        var gradInput = Net.Backward(_featureGrad);
        if (Pack == 1 || gradInput is null)
            return gradInput;
        _inputGrad = Tensor.Prepare(_inputGrad, gradInput.Dim(0) * Pack, Manifest.Channels, Manifest.ImageSize, Manifest.ImageSize);
        gradInput.Span.CopyTo(_inputGrad.Span);
        return _inputGrad;
    }

    /// <summary>One condition row per pack; a pack whose members differ in any condition is refused.</summary>
    private ConditionBatch PackConditions(ConditionBatch conditions)
    {
        if (conditions.Count % Pack != 0)
            throw new ArgumentException($"Discriminator packs {Pack} images at a time; a batch of {conditions.Count} does not divide.");
        var packs = conditions.Count / Pack;
        var numeric = Schema.Numeric.Count;
        var packed = _packConditions is { } p && p.Count == packs && p.Schema == conditions.Schema
            ? p
            : _packConditions = new ConditionBatch(conditions.Schema, packs);
        for (var j = 0; j < packs; j++)
        {
            var first = j * Pack;
            for (var m = first + 1; m < first + Pack; m++)
            {
                var same = conditions.Indices.All(row => row[m] == row[first])
                    && conditions.Scaled.AsSpan(m * numeric, numeric).SequenceEqual(conditions.Scaled.AsSpan(first * numeric, numeric));
                if (!same)
                    throw new ArgumentException($"Discriminator pack {j}: items {first} and {m} have different conditions; a pack must share one.");
            }

            for (var k = 0; k < conditions.Indices.Length; k++)
                packed.Indices[k][j] = conditions.Indices[k][first];
            conditions.Scaled.AsSpan(first * numeric, numeric).CopyTo(packed.Scaled.AsSpan(j * numeric, numeric));
        }

        return packed;
    }

    private static void AddRowDots(Tensor a, Tensor b, Tensor output)
    {
        var f = a.Dim(1);
        for (var n = 0; n < a.Dim(0); n++)
        {
            var ra = a.Span.Slice(n * f, f);
            var rb = b.Span.Slice(n * f, f);
            var dot = 0f;
            for (var i = 0; i < f; i++)
                dot += ra[i] * rb[i];
            output[n] += dot;
        }
    }

    private static void ScaleRows(Tensor x, Tensor scale, Tensor into)
    {
        into.Resize(x.Shape);
        var f = x.Dim(1);
        for (var n = 0; n < x.Dim(0); n++)
            for (var i = 0; i < f; i++)
                into[n * f + i] = x[n * f + i] * scale[n];
    }

    private static void AddScaledRows(Tensor x, Tensor scale, Tensor into)
    {
        var f = x.Dim(1);
        for (var n = 0; n < x.Dim(0); n++)
            for (var i = 0; i < f; i++)
                into[n * f + i] += x[n * f + i] * scale[n];
    }
}
