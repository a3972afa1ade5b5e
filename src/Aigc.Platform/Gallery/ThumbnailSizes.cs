using Aigc.Imaging;
using Aigc.Platform.Blobs;
using Aigc.Platform.Data;
using Aigc.Platform.Refusals;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Gallery;

/// <summary>
/// Thumbnails at three sizes: "m" is the one the pipeline stored; "s" and "l" are derived from the full image with
/// libvips on first request and kept in the blob store (recorded in ThumbnailVariants), so later requests are reads.
/// </summary>
public sealed class ThumbnailSizes(PortalDbContext db, BlobStore blobs)
{
    public static readonly IReadOnlyDictionary<string, int> Pixels = new Dictionary<string, int> { ["s"] = 160, ["m"] = 256, ["l"] = 512 };

    /// <summary>The blob of the thumbnail at that size, derived now if needed; null when the image itself is missing.</summary>
    public async Task<string?> ShaAsync(Blueprint blueprint, string size, CancellationToken cancellationToken = default)
    {
        if (!Pixels.TryGetValue(size, out var pixels))
            throw new GalleryRefusedException(new Refusal("ThumbnailSize", "size", size));
        if (size == "m" && blueprint.ThumbnailSha256 is { } stored && blobs.Exists(stored))
            return stored;
        var known = await db.ThumbnailVariants.AsNoTracking()
            .Where(v => v.FileSha256 == blueprint.FileSha256 && v.Size == pixels).Select(v => v.Sha256).SingleOrDefaultAsync(cancellationToken);
        if (known is not null && blobs.Exists(known))
            return known;
        if (!blobs.Exists(blueprint.FileSha256))
            return null;
        var source = await blobs.ReadAllAsync(blueprint.FileSha256, cancellationToken);
        byte[] webp;
        using (var image = VipsImage.Decode(source))
        using (var small = image.Thumbnail(pixels, pixels))
            webp = small.EncodeWebp(80);
        var sha = await blobs.PutAsync(webp, cancellationToken);
        // Parallel requests for the same new variant all get here: the first insert wins and the others do nothing,
        // instead of failing on the primary key (which EF logs as an error each time). Their blobs are the same bytes.
        if (known is null)
        {
            await db.Database.ExecuteSqlInterpolatedAsync(
                $"""
                INSERT INTO "ThumbnailVariants" ("FileSha256", "Size", "Sha256") VALUES ({blueprint.FileSha256}, {pixels}, {sha})
                ON CONFLICT DO NOTHING
                """,
                cancellationToken);
        }

        return sha;
    }

    /// <summary>Stored thumbnails and derived ones are WebP; an image without a thumbnail serves itself.</summary>
    public static string ContentType(ReadOnlySpan<byte> head) =>
        head.Length >= 12 && head[..4].SequenceEqual("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8) ? "image/webp" : "image/png";
}
