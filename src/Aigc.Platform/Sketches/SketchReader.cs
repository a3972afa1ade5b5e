using System.Collections.Concurrent;
using Aigc.Generation.Manifest;
using Aigc.Generation.Sketches;
using Aigc.Imaging;
using Aigc.Imaging.Sketches;
using Aigc.Neural;
using Aigc.Platform.Data;
using Aigc.Platform.Models;
using Aigc.Platform.Queue;
using Aigc.Platform.Refusals;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Sketches;

/// <summary>
/// Reads a designer's drawing for a model version (decision 0021): checks that the requester may generate with
/// it and that it has a sketch encoder, normalises the file (<see cref="SketchInput"/>: any size, polarity, framing;
/// hostile files refused) and encodes it. Encoders load once per version and share one engine; a singleton that
/// opens a short scope per call, since the Studio's circuit lives as long as its tab.
/// </summary>
public sealed class SketchReader(IServiceScopeFactory scopes, ModelFiles files, IOptions<NeuralOptions> neural)
{
    /// <summary>A sketch is a small file; anything larger is refused before it is decoded.</summary>
    public const int MaxFileBytes = 8 * 1024 * 1024;

    private readonly ConcurrentDictionary<string, Lazy<SketchEncoder>> _encoders = new(StringComparer.Ordinal);
    private readonly Lazy<NeuralEngine> _engine = new(() => new NeuralEngine(neural.Value));

    /// <summary>Whether the version has a sketch encoder; the Studio shows the sketch panel only then.</summary>
    public bool Offers(string weightsSha256) => File.Exists(files.EncoderOf(weightsSha256));

    /// <summary>Throws <see cref="GenerationRefusedException"/> naming "model" or "sketch" with a message for the user.</summary>
    public async Task<SketchReading> ReadAsync(string model, byte[] file, Requester requester, CancellationToken cancellationToken = default)
    {
        GenerationPolicy.Demand(requester);
        ModelVersion version;
        using (var scope = scopes.CreateScope())
        {
            try
            {
                version = await scope.ServiceProvider.GetRequiredService<ModelRegistry>()
                    .ResolveForUseAsync(model, requester.Roles, cancellationToken);
            }
            catch (ModelRejectedException e)
            {
                throw new GenerationRefusedException(RefusalKind.Invalid, e.Refusal);
            }
        }

        if (!Offers(version.WeightsSha256))
            throw new GenerationRefusedException(RefusalKind.Invalid,
                new Refusal("ModelNoSketchEncoder", "model", $"{version.Name}@{version.Version}"));
        var manifest = CganManifest.Parse(version.ManifestJson);
        var limits = ImageLimits.Default with { MaxBytes = MaxFileBytes };
        return await Task.Run(() =>
        {
            float[] drawing;
            try
            {
                drawing = SketchInput.Normalise(file, manifest.ImageSize, limits);
            }
            catch (ImageRejectedException e)
            {
                throw new GenerationRefusedException(RefusalKind.Invalid, new Refusal("SketchRefused", "sketch", e.Message));
            }

            var encoder = Encoder(version.WeightsSha256, manifest);
            var encoding = encoder.Encode(drawing, SketchRefinement.Default, cancellationToken);
            var conditions = manifest.Schema.Categorical.ToDictionary(c => c.Name, c => encoding.Conditions.Category(c.Name)!, StringComparer.Ordinal);
            return new SketchReading(version.WeightsSha256, conditions, encoding.Confidence, SketchLatents.Write(encoding.Latent), encoding.LineIoU);
        }, cancellationToken);
    }

    private SketchEncoder Encoder(string sha256, CganManifest manifest) =>
        _encoders.GetOrAdd(sha256, sha => new Lazy<SketchEncoder>(() =>
            SketchEncoder.Load(files.WeightsOf(sha), files.EncoderOf(sha), manifest, _engine.Value))).Value;
}
