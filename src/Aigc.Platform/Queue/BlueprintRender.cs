using Aigc.Generation.Inference;
using Aigc.Generation.Manifest;
using Aigc.Imaging.Metadata;
using Aigc.Imaging.Pipeline;
using Aigc.Platform.Data;

namespace Aigc.Platform.Queue;

/// <summary>
/// Turns a job's generated image into the files the blob store keeps: the job's preset, with the provenance the
/// image carries. The worker and the blob check both go through here, so an image made again has the same bytes.
/// The metadata names the device's engine: pixels reproduce bit for bit on the same one (decision 0017).
/// </summary>
public sealed class BlueprintRender(PostProcessingPipeline pipeline, IInferenceDevice device)
{
    public Task<ProcessedImage> RunAsync(GenerationJob job, int index, float[] image, ModelVersion version, CganManifest manifest, CancellationToken cancellationToken) =>
        pipeline.RunAsync(job.Preset,
            PipelineSource.FromTensor(image, manifest.Channels, manifest.ImageSize, manifest.ImageSize),
            new BlueprintMetadata(version.Name, version.Version, version.WeightsSha256, ConditionsJson.Read(job.ConditionsJson), JobRecipes.Seed(job, index),
                job.Preset, device.Engine) { Recipe = JobRecipes.Metadata(job, index) },
            cancellationToken);
}
