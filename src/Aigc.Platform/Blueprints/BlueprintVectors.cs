using Aigc.Imaging.Vectors;
using Aigc.Platform.Blobs;
using Aigc.Platform.Gallery;
using Aigc.Platform.Models;
using Aigc.Platform.Queue;

namespace Aigc.Platform.Blueprints;

/// <summary>A traced vector drawing of a blueprint: the file, its media type and a download name.</summary>
public sealed record BlueprintVectorFile(byte[] Bytes, string ContentType, string FileName);

/// <summary>
/// A blueprint as a vector drawing for CAD: its PNG, read after <see cref="BlueprintAccess"/>, traced into polylines
/// and written as SVG or DXF R12 in millimetres (0.5 mm per pixel; see Aigc.Imaging.Vectors). The web and the CLI ask
/// here, so neither touches the imaging library.
/// </summary>
public sealed class BlueprintVectors(BlueprintAccess access, BlobStore blobs, ModelRegistry models)
{
    /// <summary>The formats, as the API and the CLI spell them.</summary>
    public static IReadOnlyList<string> Formats { get; } = ["svg", "dxf"];

    public static bool IsFormat(string? format) => VectorFormats.Parse(format) is not null;

    /// <summary>
    /// The vector file of a blueprint the requester may read; null when it is missing, deleted or someone else's.
    /// An unknown <paramref name="format"/> is an <see cref="ArgumentException"/>: check <see cref="IsFormat"/> first.
    /// </summary>
    public async Task<BlueprintVectorFile?> FindAsync(
        Guid id, Requester requester, string format, CancellationToken cancellationToken = default)
    {
        var kind = Parse(format);
        var blueprint = await access.FindReadableAsync(id, requester, cancellationToken).ConfigureAwait(false);
        if (blueprint is null || !blobs.Exists(blueprint.FileSha256))
            return null;
        var png = await blobs.ReadAllAsync(blueprint.FileSha256, cancellationToken).ConfigureAwait(false);
        var model = await models.FindAsync(blueprint.Job!.ModelSha256, cancellationToken).ConfigureAwait(false);
        var order = model is null ? [] : BlueprintDetails.SchemaOrder(model);
        var name = Path.ChangeExtension(BlueprintDetails.DownloadName(blueprint, order), kind.Extension());
        // Tracing is CPU work (thinning loops over every pixel): off the request thread.
        var bytes = await Task.Run(() => BlueprintVectorizer.Vectorize(png, kind), cancellationToken).ConfigureAwait(false);
        return new BlueprintVectorFile(bytes, kind.ContentType(), name);
    }

    /// <summary>An image file (PNG, JPEG or WebP) to SVG or DXF, for <c>aigc image vectorize</c>.</summary>
    /// <exception cref="Aigc.Imaging.ImageRejectedException">The file is no image or a damaged one.</exception>
    public static byte[] Vectorize(byte[] image, string format) => BlueprintVectorizer.Vectorize(image, Parse(format));

    private static VectorFormat Parse(string format) => VectorFormats.Parse(format)
        ?? throw new ArgumentException($"Unknown vector format '{format}': use {string.Join(" or ", Formats)}.", nameof(format));
}
