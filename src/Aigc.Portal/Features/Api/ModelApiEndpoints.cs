using Aigc.Imaging.Pipeline;
using Aigc.Platform.Data;
using Aigc.Platform.Models;
using Aigc.Portal.Web;

namespace Aigc.Portal.Features.Api;

/// <summary>/api/models: the versions the requester may generate with (admins also see drafts), with their schemas.</summary>
internal static class ModelApiEndpoints
{
    public static RouteGroupBuilder MapModelApi(this RouteGroupBuilder api)
    {
        api.MapGet("/models", async (HttpContext context, ModelRegistry models, PipelinePresetCatalog presets) =>
            {
                var requester = context.User.ToRequester();
                var versions = await models.ListAsync(context.RequestAborted);
                return versions
                    .Where(v => v.Status == ModelVersionStatus.Active || (requester.IsAdmin && v.Status == ModelVersionStatus.Draft))
                    .Where(v => requester.IsAdmin || v.AllowedRoleList.Count == 0
                                || v.AllowedRoleList.Intersect(requester.Roles, StringComparer.OrdinalIgnoreCase).Any())
                    .Select(v => ApiQueries.Model(v, presets.Names))
                    .ToList();
            })
            .WithTags("Models")
            .WithSummary("Model versions you may use, with their condition schema and the preset names.");
        return api;
    }
}
