using Aigc.Imaging.Pipeline;
using Aigc.Platform.Models;
using Aigc.Portal.Web;

namespace Aigc.Portal.Features.Api;

/// <summary>/api/models: the versions the requester may use (<see cref="ModelAccess"/>: active and drafts), with their schemas.</summary>
internal static class ModelApiEndpoints
{
    public static RouteGroupBuilder MapModelApi(this RouteGroupBuilder api)
    {
        api.MapGet("/models", async (HttpContext context, ModelRegistry models, PipelinePresetCatalog presets) =>
            {
                var requester = context.User.ToRequester();
                var versions = await models.ListAsync(context.RequestAborted);
                return ModelAccess.Usable(versions, requester.Roles).Select(v => ApiQueries.Model(v, presets.Names)).ToList();
            })
            .WithTags("Models")
            .WithSummary("Model versions you may use, with their condition schema and the preset names.");
        return api;
    }
}
