using Aigc.Imaging;
using Aigc.Imaging.Ads;
using Aigc.Imaging.Metadata;
using Aigc.Platform.Blobs;
using Aigc.Platform.Data;

namespace Aigc.Platform.Ads;

/// <summary>The decoded images a campaign is rendered from: its kit's logo and each source blueprint with its provenance.</summary>
internal sealed class AdSources : IDisposable
{
    private readonly BrandKit _kit;
    private readonly VipsImage? _logo;
    private readonly List<(VipsImage Image, BlueprintMetadata? Metadata)> _products;

    private AdSources(BrandKit kit, VipsImage? logo, List<(VipsImage, BlueprintMetadata?)> products) => (_kit, _logo, _products) = (kit, logo, products);

    /// <summary>
    /// The kit's logo and each blueprint's drawing, enlarged for ads when it can be (<see cref="ProductShots"/>).
    /// </summary>
    public static async Task<AdSources> LoadAsync(BlobStore blobs, ProductShots shots, BrandKit kit,
        IEnumerable<Blueprint> blueprints, CancellationToken cancellationToken)
    {
        var products = new List<(VipsImage, BlueprintMetadata?)>();
        VipsImage? logo = null;
        try
        {
            if (kit.LogoSha256 is not null && kit.LogoContentType is not null)
                logo = BrandLogo.Load(kit.LogoContentType, await blobs.ReadAllAsync(kit.LogoSha256, cancellationToken));
            foreach (var blueprint in blueprints)
            {
                // The stored file carries the provenance a sheet treatment prints, whichever pixels are drawn.
                var bytes = await blobs.ReadAllAsync(blueprint.FileSha256, cancellationToken);
                var drawing = await shots.DrawAsync(blueprint, cancellationToken) ?? VipsImage.Decode(bytes);
                products.Add((drawing, blueprint.ContentType == "image/png" ? BlueprintMetadata.Read(bytes) : null));
            }
            return new AdSources(kit, logo, products);
        }
        catch
        {
            logo?.Dispose();
            products.ForEach(p => p.Item1.Dispose());
            throw;
        }
    }

    public AdComposition Composition(string templateId, AdTexts texts, ProductShotTreatment? treatment, int variant) =>
        new(AdTemplateCatalog.Get(templateId), BrandKits.Palette(_kit), _kit.FontFamily, _kit.Name, texts,
            _products[variant].Image, _logo, treatment, _products[variant].Metadata);

    public void Dispose()
    {
        _logo?.Dispose();
        _products.ForEach(p => p.Image.Dispose());
    }
}
