using Aigc.Generation.Inference;
using Aigc.Imaging;
using Aigc.Imaging.Pipeline;
using Aigc.Platform.Data;
using Aigc.Platform.Models;
using Aigc.Platform.Queue;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Aigc.Platform.Ads;

/// <summary>
/// The drawing an ad shows: the blueprint made again from its job's recipe (the same pixels the worker made) and
/// enlarged by the learned upscaler to <see cref="Size"/> px. The stored file is the default preset's 256 px, which a
/// 1080×1920 ad's product slot blew up to a smudge (issue 26). A blueprint that cannot be made again (its model
/// version gone, no upscaler for that size) is drawn from its stored file as before.
/// </summary>
public sealed class ProductShots(
    IDbContextFactory<PortalDbContext> contexts, LoadedModels models, IInferenceDevice device, ILineUpscaler upscaler,
    ILogger<ProductShots> logger)
{
    public const int Size = 512;

    /// <summary>The enlarged drawing, or null when the stored file must serve.</summary>
    public async Task<VipsImage?> DrawAsync(Blueprint blueprint, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            var job = await db.GenerationJobs.AsNoTracking()
                .SingleOrDefaultAsync(j => j.Id == blueprint.JobId, cancellationToken);
            if (job is null)
                return null;
            var generator = await models.GetAsync(job.ModelSha256, cancellationToken);
            var manifest = generator.Manifest;
            if (manifest.Channels != 1)
                return null;
            var item = JobRecipes.Item(job, blueprint.Index, manifest.Schema);
            var pixels = (await device.GenerateAsync(generator, [item], cancellationToken))[0];
            // The upscaler is CPU work of a few milliseconds: off the caller's thread (a circuit's, for previews).
            return await Task.Run(() =>
            {
                using var raw = VipsImage.FromTensor(pixels, 1, manifest.ImageSize, manifest.ImageSize);
                return upscaler.Upscale(raw.ToPixels(), manifest.ImageSize, Size) is { } large
                    ? VipsImage.FromPixels(large, Size, Size, 1)
                    : null;
            }, cancellationToken);
        }
        catch (ModelRejectedException e)
        {
            logger.LogInformation("Blueprint {Id} is drawn from its stored file in ads: {Reason}",
                blueprint.Id, e.Message);
            return null;
        }
    }
}
