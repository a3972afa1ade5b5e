using System.Security.Claims;
using Aigc.Imaging;
using Aigc.Imaging.Ads;
using Aigc.Platform.Audit;
using Aigc.Platform.Blobs;
using Aigc.Platform.Data;
using Aigc.Platform.Refusals;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Aigc.Platform.Ads;

/// <summary>
/// Brand kits: listed for everyone who makes ads, edited by admins and marketers, every change audited. Each call
/// opens its own short unit of work: a Blazor circuit may hold this service for hours.
/// </summary>
public sealed class BrandKits(IDbContextFactory<PortalDbContext> contexts, BlobStore blobs, TimeProvider clock,
    IOptions<AdsOptions> options)
{
    public async Task<List<BrandKit>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.BrandKits.AsNoTracking().OrderBy(k => k.Team).ThenBy(k => k.Name).ToListAsync(cancellationToken);
    }

    public async Task<BrandKit?> FindAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await db.BrandKits.AsNoTracking().SingleOrDefaultAsync(k => k.Id == id, cancellationToken);
    }

    /// <summary>
    /// Reads an uploaded logo, refusing it as soon as it passes Ads:MaxLogoBytes whatever size the browser claimed,
    /// so a large file is never held whole.
    /// </summary>
    public async Task<byte[]> ReadLogoAsync(Stream upload, CancellationToken cancellationToken = default)
    {
        var max = options.Value.MaxLogoBytes;
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await upload.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max)
                throw new AdInputException(new Refusal("LogoTooLarge", "logo", max));
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// Creates (<paramref name="id"/> null) or updates a kit. A new logo replaces the old one; <paramref name="removeLogo"/>
    /// clears it. Throws <see cref="AdInputException"/> naming the field for any invalid value or a refused logo.
    /// </summary>
    public async Task<BrandKit> SaveAsync(Guid? id, BrandKitForm form, byte[]? logo, bool removeLogo, ClaimsPrincipal actor, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var audit = new AuditLog(db, clock);
        var problems = form.Validate().ToList();
        BrandLogo? validated = null;
        if (logo is { Length: > 0 })
        {
            try
            {
                validated = BrandLogo.Validate(logo, options.Value.MaxLogoBytes);
            }
            catch (ImageRejectedException e)
            {
                problems.Add(new AdInputProblem(new Refusal("LogoRefused", "logo", e.Message)));
            }
        }
        var kit = id is null ? null : await db.BrandKits.SingleOrDefaultAsync(k => k.Id == id, cancellationToken)
            ?? throw new KeyNotFoundException($"No brand kit {id}.");
        var (team, name) = (form.Team?.Trim() ?? "", form.Name?.Trim() ?? "");
        if (problems.Count == 0 && await db.BrandKits.AnyAsync(k => k.Team == team && k.Name == name && k.Id != id, cancellationToken))
            problems.Add(new AdInputProblem(new Refusal("KitNameTaken", "name", team, name)));
        if (problems.Count > 0) throw new AdInputException(problems);

        if (kit is null)
        {
            kit = new BrandKit
            {
                Id = Guid.NewGuid(), Team = team, Name = name, PrimaryColour = "", SecondaryColour = "", BackgroundColour = "",
                FontFamily = "", DefaultCallToAction = "", UpdatedBy = "",
            };
            db.BrandKits.Add(kit);
        }
        kit.Team = team;
        kit.Name = name;
        kit.PrimaryColour = form.PrimaryColour!.ToLowerInvariant();
        kit.SecondaryColour = form.SecondaryColour!.ToLowerInvariant();
        kit.BackgroundColour = form.BackgroundColour!.ToLowerInvariant();
        kit.FontFamily = form.FontFamily!;
        kit.DefaultCallToAction = form.DefaultCallToAction!.Trim();
        if (validated is not null)
        {
            kit.LogoSha256 = await blobs.PutAsync(validated.Bytes, cancellationToken);
            kit.LogoContentType = validated.MediaType;
        }
        else if (removeLogo)
        {
            (kit.LogoSha256, kit.LogoContentType) = (null, null);
        }
        kit.UpdatedBy = actor.Identity?.Name ?? "unknown";
        kit.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Record(actor, id is null ? "brandkit.create" : "brandkit.update", kit.Id.ToString(), $"{kit.Team} / {kit.Name}",
            validated is null ? null : $"logo={validated.MediaType} {validated.Width}x{validated.Height}");
        await db.SaveChangesAsync(cancellationToken);
        return kit;
    }

    /// <summary>The kit's colours as the renderer uses them.</summary>
    public static BrandPalette Palette(BrandKit kit) =>
        new(RgbColour.Parse(kit.PrimaryColour, "primary"), RgbColour.Parse(kit.SecondaryColour, "secondary"), RgbColour.Parse(kit.BackgroundColour, "background"));
}
