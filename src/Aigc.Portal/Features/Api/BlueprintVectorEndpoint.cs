using Aigc.Platform.Blueprints;
using Aigc.Portal.Web;

namespace Aigc.Portal.Features.Api;

/// <summary>GET /api/blueprints/{id}/vector?format=svg|dxf: the blueprint's lines traced for CAD, in millimetres.</summary>
internal static class BlueprintVectorEndpoint
{
    /// <summary>Format first (a 400 says nothing about the blueprint), then the access check (someone else's: 404).</summary>
    public static async Task<IResult> VectorAsync(
        Guid id, string? format, bool? download, HttpContext context, BlueprintVectors vectors)
    {
        if (!BlueprintVectors.IsFormat(format))
            return ApiProblems.Invalid("format", $"The format must be {string.Join(" or ", BlueprintVectors.Formats)}.");
        var file = await vectors.FindAsync(id, context.User.ToRequester(), format!, context.RequestAborted);
        if (file is null)
            return ApiProblems.NotFound("blueprint");
        context.Response.Headers.CacheControl = "private, no-cache";
        return download == true
            ? Results.File(file.Bytes, file.ContentType, file.FileName)
            : Results.File(file.Bytes, file.ContentType);
    }
}
