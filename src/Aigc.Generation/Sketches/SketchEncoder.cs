using Aigc.Generation.Manifest;
using Aigc.Neural;
using Aigc.Neural.Safetensors;

namespace Aigc.Generation.Sketches;

/// <summary>
/// Finds the conditions and latent of a drawing (decision 0021): the trained encoder guesses both, then, for its
/// best few condition candidates at once, a few Adam steps on the latent through the frozen generator (our backward
/// pass) pull the generator's image towards the drawing; the candidate whose image matches best wins. Holds its own
/// copy of the generator, so it never disturbs the one that serves jobs; calls take the engine's lease in turn.
/// </summary>
public sealed class SketchEncoder
{
    public const string WeightsFile = "encoder.safetensors";

    private readonly NeuralEngine _engine;
    private readonly Generator _generator;
    private readonly SketchEncoderNetwork _network;
    private readonly Tensor _input = new(0, 0);

    private SketchEncoder(NeuralEngine engine, Generator generator)
    {
        _engine = engine;
        _generator = generator;
        _network = new SketchEncoderNetwork(generator.Manifest, engine.CreateBackend(), new RandomSource(0));
        _network.Eval();
        _generator.Network.SetParameterGradients(false);
    }

    public CganManifest Manifest => _generator.Manifest;

    public SketchEncoderNetwork Network => _network;

    /// <summary>Generator and encoder weights from one model version folder.</summary>
    public static SketchEncoder Load(string generatorWeights, string encoderWeights, CganManifest manifest, NeuralEngine engine)
    {
        var generator = Generator.Create(manifest, engine);
        generator.LoadWeights(generatorWeights);
        var encoder = new SketchEncoder(engine, generator);
        using var lease = engine.Acquire();
        StateDictFile.Load(encoder._network, encoderWeights, engine.MaxSafetensorsHeaderBytes);
        return encoder;
    }

    /// <summary>An encoder over <paramref name="generator"/> with fresh weights (training).</summary>
    public static SketchEncoder Untrained(Generator generator, NeuralEngine engine) => new(engine, generator);

    public Generator Generator => _generator;

    /// <summary>
    /// Encodes one drawing, [size²] in [−1, 1] with bright lines. <paramref name="refinement"/> decides how many
    /// candidates and latent steps to spend; <see cref="SketchRefinement.None"/> returns the encoder's guess.
    /// </summary>
    public SketchEncoding Encode(ReadOnlySpan<float> drawing, SketchRefinement refinement, CancellationToken cancellationToken = default)
    {
        var length = _network.ImageSize * _network.ImageSize;
        if (drawing.Length != length)
            throw new ArgumentException($"The encoder takes {_network.ImageSize}² values, got {drawing.Length}.", nameof(drawing));
        float[] output;
        using (_engine.Acquire(cancellationToken))
        {
            _input.Resize([1, 1, _network.ImageSize, _network.ImageSize]);
            drawing.CopyTo(_input.Span);
            output = _network.Forward(_input).Span.ToArray();
        }

        var candidates = SketchCandidates.From(_network, output, refinement.Candidates);
        var latent = output.AsSpan(0, _network.LatentDim).ToArray();
        var result = new LatentSearch(_engine, _generator).Run(drawing.ToArray(), latent, candidates, refinement, cancellationToken);
        var winner = candidates[result.Best];
        return new SketchEncoding(winner.Conditions, result.Latent, winner.Confidence, result.LineIoU);
    }

    public void Save(string path)
    {
        using var lease = _engine.Acquire();
        StateDictFile.Save(_network, path);
    }
}
