using System.Text;
using Aigc.Generation.Manifest;
using Aigc.Platform.Blueprints;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Gallery;

/// <summary>A readable blueprint with what the lightbox, the compare view and the ZIP's CSV show about it.</summary>
public sealed record BlueprintDetails(Blueprint Blueprint, ModelVersion? Model, string AuthorName,
    IReadOnlyList<KeyValuePair<string, string>> Conditions, IReadOnlyList<string> Tags, bool IsFavourite, bool CanCurate,
    bool CanDelete)
{
    public string FileName => DownloadName(Blueprint, Conditions.Select(c => c.Key).ToList());

    /// <summary>The Studio URL contract: the same model, seed, preset and conditions.</summary>
    public string StudioUrl =>
        $"studio?model={Blueprint.ModelSha256}&seed={Blueprint.Seed}&preset={Uri.EscapeDataString(Blueprint.Preset)}"
        + string.Concat(Conditions.Select(c => $"&c.{Uri.EscapeDataString(c.Key)}={Uri.EscapeDataString(c.Value)}"));

    public static async Task<IReadOnlyList<BlueprintDetails>> LoadAsync(IReadOnlyCollection<Guid> ids, Requester requester,
        BlueprintAccess access, PortalDbContext db, CancellationToken cancellationToken)
    {
        var blueprints = await access.Readable(requester).Include(b => b.Tags).Include(b => b.Job)
            .Where(b => ids.Contains(b.Id)).ToListAsync(cancellationToken);
        var shas = blueprints.Select(b => b.ModelSha256).Distinct().ToList();
        var models = await db.ModelVersions.AsNoTracking().Where(m => shas.Contains(m.WeightsSha256))
            .ToDictionaryAsync(m => m.WeightsSha256, cancellationToken);
        var owners = blueprints.Select(b => b.OwnerId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => owners.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.DisplayName ?? u.Email ?? u.Id, cancellationToken);
        var userId = requester.UserId;
        var favourites = await db.Favourites.Where(f => f.UserId == userId && ids.Contains(f.BlueprintId))
            .Select(f => f.BlueprintId).ToListAsync(cancellationToken);
        var curatable = await access.Curatable(requester).Where(b => ids.Contains(b.Id)).Select(b => b.Id).ToListAsync(cancellationToken);
        var owned = await access.Owned(requester).Where(b => ids.Contains(b.Id)).Select(b => b.Id).ToListAsync(cancellationToken);
        var order = ids.Distinct().Select((id, i) => (id, i)).ToDictionary(x => x.id, x => x.i);
        var schemaOrders = models.ToDictionary(m => m.Key, m => SchemaOrder(m.Value));
        return blueprints.OrderBy(b => order[b.Id]).Select(b =>
        {
            var model = models.GetValueOrDefault(b.ModelSha256);
            return new BlueprintDetails(b, model, names.GetValueOrDefault(b.OwnerId, b.OwnerId),
                Ordered(b, schemaOrders.GetValueOrDefault(b.ModelSha256) ?? []), b.Tags.Select(t => t.Tag).Order(StringComparer.Ordinal).ToList(),
                favourites.Contains(b.Id), curatable.Contains(b.Id), owned.Contains(b.Id));
        }).ToList();
    }

    /// <summary>The condition names in the order the model's schema lists them.</summary>
    public static IReadOnlyList<string> SchemaOrder(ModelVersion model)
    {
        var schema = CganManifest.Parse(model.ManifestJson).Schema;
        return schema.Categorical.Concat(schema.Numeric).Select(c => c.Name).ToList();
    }

    /// <summary>For example "spur_gear-front-low-seed42.png": what it shows in the schema's order, and what reproduces it.</summary>
    public static string DownloadName(Blueprint blueprint, IReadOnlyList<string> conditionOrder)
    {
        var name = new StringBuilder();
        var conditions = ConditionsJson.Read(blueprint.ConditionsJson);
        var ordered = conditionOrder.Where(conditions.ContainsKey).Concat(conditions.Keys.Except(conditionOrder));
        foreach (var value in ordered.Select(key => conditions[key]))
            name.Append(string.Concat(value.Where(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.'))).Append('-');
        return $"{name}seed{blueprint.Seed}{(blueprint.ContentType == "image/png" ? ".png" : ".bin")}";
    }

    private static List<KeyValuePair<string, string>> Ordered(Blueprint blueprint, IReadOnlyList<string> order)
    {
        var conditions = ConditionsJson.Read(blueprint.ConditionsJson);
        return order.Where(conditions.ContainsKey).Concat(conditions.Keys.Except(order))
            .Select(k => new KeyValuePair<string, string>(k, conditions[k])).ToList();
    }
}
