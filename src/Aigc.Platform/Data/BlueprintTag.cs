namespace Aigc.Platform.Data;

/// <summary>A tag on a blueprint, written by its owner or by editors of a collection that holds it. Lower case.</summary>
public class BlueprintTag
{
    public Guid BlueprintId { get; set; }

    public required string Tag { get; set; }
}
