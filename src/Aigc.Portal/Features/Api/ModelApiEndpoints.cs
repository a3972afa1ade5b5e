using Aigc.Platform.Api;
using Aigc.Platform.Models;
using Aigc.Portal.Web;

namespace Aigc.Portal.Features.Api;

/// <summary>/api/models: the versions the requester may use (<see cref="ModelAccess"/>: active and drafts), with their schemas.</summary>
internal static class ModelApiEndpoints
{
    public static RouteGroupBuilder MapModelApi(this RouteGroupBuilder api)
    {
        api.MapGet("/models", async (HttpContext context, ApiQueries queries) =>
                (await queries.UsableModelsAsync(context.User.ToRequester(), context.RequestAborted))
                .Select(v => ApiViews.Model(v, queries.PresetNames)).ToList())
            .WithTags("Models")
            .WithSummary("Model versions you may use, with their condition schema and the preset names.");
        return api;
    }
}
