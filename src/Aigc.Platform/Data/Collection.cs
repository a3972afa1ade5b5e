namespace Aigc.Platform.Data;

/// <summary>A named set of blueprints, owned by one user and shared read-only or editable with roles or named users.</summary>
public class Collection
{
    public Guid Id { get; set; }

    public required string OwnerId { get; set; }

    public required string Name { get; set; }

    public Guid? CoverBlueprintId { get; set; }

    public DateTime CreatedAt { get; set; }

    public List<CollectionItem> Items { get; set; } = [];

    public List<CollectionShare> Shares { get; set; } = [];
}

public class CollectionItem
{
    public Guid CollectionId { get; set; }

    public Guid BlueprintId { get; set; }

    public DateTime AddedAt { get; set; }
}

/// <summary>Exactly one of <see cref="Role"/> and <see cref="UserId"/> is set.</summary>
public class CollectionShare
{
    public Guid Id { get; set; }

    public Guid CollectionId { get; set; }

    public string? Role { get; set; }

    public string? UserId { get; set; }

    public bool CanEdit { get; set; }
}
