using System.IO.Compression;
using Aigc.Imaging;
using Aigc.Imaging.Ads;
using Aigc.Platform.Blobs;
using Aigc.Platform.Blueprints;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Aigc.Platform.Refusals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Ads;

/// <summary>
/// Campaigns: composed from blueprints the requester may read, visible to their owner and admins, rendered at every
/// chosen size as PNG and JPEG (replacing earlier renders, so a changed kit or text renders afresh), and zipped.
/// Each call opens its own short unit of work: a Blazor circuit may hold this service for hours.
/// </summary>
public sealed class AdCampaigns(IDbContextFactory<PortalDbContext> contexts, BlobStore blobs, ProductShots shots,
    AdRenderCapacity capacity, TimeProvider clock, IOptions<AdsOptions> options)
{
    public async Task<List<AdCampaign>> ListAsync(Requester requester, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await Visible(db, requester).Include(c => c.BrandKit).Include(c => c.Renders)
            .OrderByDescending(c => c.CreatedAt).ToListAsync(cancellationToken);
    }

    /// <summary>The campaign, or null when it does not exist or is not the requester's (admins see all).</summary>
    public async Task<AdCampaign?> FindAsync(Guid id, Requester requester, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await Visible(db, requester).Include(c => c.BrandKit).Include(c => c.Blueprints.OrderBy(b => b.Position))
            .Include(c => c.Renders).SingleOrDefaultAsync(c => c.Id == id, cancellationToken);
    }

    /// <summary>One rendered file with its campaign, or null when either is missing or not the requester's.</summary>
    public async Task<(AdRender Render, AdCampaign Campaign)?> FindRenderAsync(Guid renderId, Requester requester,
        CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var render = await db.AdRenders.AsNoTracking().SingleOrDefaultAsync(r => r.Id == renderId, cancellationToken);
        var campaign = render is null ? null : await Visible(db, requester)
            .SingleOrDefaultAsync(c => c.Id == render.CampaignId, cancellationToken);
        return render is null || campaign is null ? null : (render, campaign);
    }

    /// <summary>
    /// The blueprints the composer offers: the <paramref name="chosen"/> ones the requester may read first, then their
    /// newest readable ones, <paramref name="limit"/> in all. Ids they may not read are dropped, like missing ones.
    /// </summary>
    public async Task<List<Blueprint>> ComposableBlueprintsAsync(IReadOnlyCollection<Guid> chosen, Requester requester,
        int limit, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var readable = new BlueprintAccess(db).Readable(requester);
        var blueprints = await readable.Where(b => chosen.Contains(b.Id)).ToListAsync(cancellationToken);
        blueprints.AddRange(await readable.Where(b => !chosen.Contains(b.Id)).OrderByDescending(b => b.CreatedAt)
            .Take(Math.Max(0, limit - blueprints.Count)).ToListAsync(cancellationToken));
        return blueprints;
    }

    /// <summary>Creates a campaign, or updates it when <paramref name="id"/> is given; its old renders stay until the next render.</summary>
    public async Task<AdCampaign> SaveAsync(Guid? id, CampaignForm form, Requester requester, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await ValidateAsync(db, form, forPreview: false, requester, cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        AdCampaign campaign;
        if (id is null)
        {
            campaign = new AdCampaign
            {
                Id = Guid.NewGuid(), OwnerId = requester.UserId, Name = "", TemplateId = "", Headline = "", CallToAction = "", Sizes = "", CreatedAt = now,
            };
            db.AdCampaigns.Add(campaign);
        }
        else
        {
            campaign = await db.AdCampaigns.Include(c => c.Blueprints)
                .Where(c => requester.IsAdmin || c.OwnerId == requester.UserId)
                .SingleOrDefaultAsync(c => c.Id == id, cancellationToken) ?? throw new KeyNotFoundException($"No campaign {id}.");
            db.AdCampaignBlueprints.RemoveRange(campaign.Blueprints);
            campaign.Blueprints.Clear();
        }
        var texts = form.Texts;
        campaign.Name = form.Name!.Trim();
        campaign.BrandKitId = form.BrandKitId!.Value;
        campaign.TemplateId = form.TemplateId!;
        (campaign.Headline, campaign.Subline, campaign.CallToAction, campaign.Legal) = (texts.Headline, texts.Subline, texts.CallToAction, texts.Legal);
        campaign.Treatment = form.ParsedTreatment?.ToString().ToLowerInvariant();
        campaign.Sizes = string.Join(',', AdSize.Standard.Select(s => s.ToString()).Where(form.Sizes.Contains));
        campaign.UpdatedAt = now;
        var position = 0;
        foreach (var blueprintId in form.BlueprintIds.Distinct())
            campaign.Blueprints.Add(new AdCampaignBlueprint { CampaignId = campaign.Id, BlueprintId = blueprintId, Position = ++position });
        await db.SaveChangesAsync(cancellationToken);
        return campaign;
    }

    /// <summary>One size of the form as it stands, as PNG, with the renderer's warnings. Nothing is stored.</summary>
    public async Task<(byte[] Png, IReadOnlyList<AdNotice> Warnings)> PreviewAsync(CampaignForm form, string size,
        Requester requester, CancellationToken cancellationToken)
    {
        var canvas = AdSize.Standard.FirstOrDefault(s => s.ToString() == size);
        if (canvas == default)
            throw new AdInputException(new Refusal("UnsupportedSize", "preview", size, string.Join(", ", AdSize.Standard)));
        BrandKit kit;
        List<Blueprint> blueprints;
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
            (kit, blueprints) = await ValidateAsync(db, form, forPreview: true, requester, cancellationToken);
        using var sources = await AdSources.LoadAsync(blobs, shots, kit, blueprints.Take(1), cancellationToken);
        return await capacity.RunAsync(() =>
        {
            using var rendering = AdRenderer.Render(
                sources.Composition(form.TemplateId!, form.Texts, form.ParsedTreatment, 0), canvas);
            return (AdEncoding.Png(rendering.Image), Notices(rendering.Warnings));
        }, cancellationToken);
    }

    /// <summary>
    /// Renders every variant at every size as PNG and JPEG with the kit and texts as they are now, replacing the previous
    /// renders. Sizes run in parallel within the process-wide capacity; cancellation stops work not yet started.
    /// </summary>
    public async Task<IReadOnlyList<AdNotice>> RenderAsync(Guid id, Requester requester, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var access = new BlueprintAccess(db);
        var campaign = await db.AdCampaigns.Include(c => c.BrandKit).Include(c => c.Blueprints.OrderBy(b => b.Position)).Include(c => c.Renders)
            .Where(c => requester.IsAdmin || c.OwnerId == requester.UserId)
            .SingleOrDefaultAsync(c => c.Id == id, cancellationToken) ?? throw new KeyNotFoundException($"No campaign {id}.");
        var ids = campaign.Blueprints.OrderBy(b => b.Position).Select(b => b.BlueprintId).ToList();
        var blueprints = await access.Readable(requester).Where(b => ids.Contains(b.Id)).ToListAsync(cancellationToken);
        if (blueprints.Count != ids.Count)
            throw new AdInputException(new Refusal("BlueprintGone", "blueprints"));
        blueprints = ids.Select(i => blueprints.Single(b => b.Id == i)).ToList();
        var texts = new AdTexts(campaign.Headline, campaign.Subline, campaign.CallToAction, campaign.Legal);
        var treatment = campaign.Treatment is null ? (ProductShotTreatment?)null : Enum.Parse<ProductShotTreatment>(campaign.Treatment, ignoreCase: true);
        var sizes = campaign.Sizes.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(AdSize.Parse).ToList();

        using var sources = await AdSources.LoadAsync(blobs, shots, campaign.BrandKit!, blueprints, cancellationToken);
        var units = blueprints.SelectMany((blueprint, variant) => sizes.Select(size => (Blueprint: blueprint, Variant: variant, Size: size)));
        var results = await Task.WhenAll(units.Select(unit => capacity.RunAsync(() =>
        {
            using var rendering = AdRenderer.Render(sources.Composition(campaign.TemplateId, texts, treatment, unit.Variant), unit.Size);
            return (unit, Png: AdEncoding.Png(rendering.Image), Jpeg: AdEncoding.Jpeg(rendering.Image), rendering.Warnings);
        }, cancellationToken)));

        var now = clock.GetUtcNow().UtcDateTime;
        db.AdRenders.RemoveRange(campaign.Renders);
        foreach (var (unit, png, jpeg, _) in results)
            foreach (var (format, bytes) in new[] { ("png", png), ("jpeg", jpeg) })
                db.AdRenders.Add(new AdRender
                {
                    Id = Guid.NewGuid(), CampaignId = campaign.Id, BlueprintId = unit.Blueprint.Id, Variant = unit.Variant + 1,
                    Width = unit.Size.Width, Height = unit.Size.Height, Format = format,
                    FileSha256 = await blobs.PutAsync(bytes, cancellationToken), FileBytes = bytes.Length, CreatedAt = now,
                });
        campaign.RenderedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        return Notices(results.SelectMany(r => r.Warnings));
    }

    /// <summary>The campaign's renders as a ZIP: "&lt;campaign&gt;_&lt;width&gt;x&lt;height&gt;_v&lt;n&gt;.png|jpg", stored (the images are compressed already).</summary>
    public async Task<byte[]> ZipAsync(AdCampaign campaign, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var render in campaign.Renders.OrderBy(r => r.Variant).ThenByDescending(r => r.Width * r.Height).ThenBy(r => r.Format))
            {
                var entry = zip.CreateEntry(FileName(campaign, render), CompressionLevel.NoCompression);
                entry.LastWriteTime = new DateTimeOffset(render.CreatedAt);
                await using var target = entry.Open();
                await using var source = blobs.OpenRead(render.FileSha256);
                await source.CopyToAsync(target, cancellationToken);
            }
        }
        return buffer.ToArray();
    }

    public static string FileName(AdCampaign campaign, AdRender render) =>
        $"{Slug(campaign.Name)}_{render.Width}x{render.Height}_v{render.Variant}.{(render.Format == "jpeg" ? "jpg" : "png")}";

    /// <summary>"Spring Launch — Gears!" becomes "spring-launch-gears": safe in any file system and archive tool.</summary>
    public static string Slug(string name)
    {
        var slug = new string(name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
        while (slug.Contains("--", StringComparison.Ordinal)) slug = slug.Replace("--", "-", StringComparison.Ordinal);
        slug = slug.Trim('-');
        return slug.Length == 0 ? "campaign" : slug[..Math.Min(60, slug.Length)];
    }

    private static List<AdNotice> Notices(IEnumerable<AdWarning> warnings) =>
        warnings.Select(w => new AdNotice(w.Message, w.Severe)).Distinct().ToList();

    private static IQueryable<AdCampaign> Visible(PortalDbContext db, Requester requester) =>
        db.AdCampaigns.AsNoTracking().Where(c => requester.IsAdmin || c.OwnerId == requester.UserId);

    private async Task<(BrandKit Kit, List<Blueprint> Blueprints)> ValidateAsync(PortalDbContext db, CampaignForm form,
        bool forPreview, Requester requester, CancellationToken cancellationToken)
    {
        var access = new BlueprintAccess(db);
        var problems = form.Validate(forPreview, options.Value.MaxBlueprintsPerCampaign);
        var kit = form.BrandKitId is { } kitId ? await db.BrandKits.AsNoTracking().SingleOrDefaultAsync(k => k.Id == kitId, cancellationToken) : null;
        if (form.BrandKitId is not null && kit is null) problems.Add(new(new Refusal("KitGone", "kit")));
        var ids = form.BlueprintIds.Distinct().ToList();
        var blueprints = await access.Readable(requester).Where(b => ids.Contains(b.Id)).ToListAsync(cancellationToken);
        if (ids.Count > 0 && blueprints.Count != ids.Count) problems.Add(new(new Refusal("BlueprintNotUsable", "blueprints")));
        if (problems.Count > 0) throw new AdInputException(problems);
        return (kit!, ids.Select(i => blueprints.Single(b => b.Id == i)).ToList());
    }
}
