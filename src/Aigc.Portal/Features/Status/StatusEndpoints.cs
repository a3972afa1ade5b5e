using Aigc.Platform.Data;
using Aigc.Platform.Models;
using Aigc.Platform.Queue;
using Aigc.Portal.Web;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Aigc.Portal.Features.Status;

public static class StatusEndpoints
{
    /// <summary>The status panel alone, which the page re-fetches every 2 s.</summary>
    public static IEndpointRouteBuilder MapStatusEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/admin/status/panel", async (
                    HttpContext context, PortalDbContext db, QueueDepthReader queue, QueueMetrics metrics, ModelInference inference) =>
                new RazorComponentResult<StatusPanel>(new
                {
                    Status = await StatusQueries.ReadAsync(db, queue, metrics, inference, context.RequestAborted),
                }))
            .RequireAuthorization(PortalPolicies.Admin);
        return app;
    }
}
