namespace Aigc.Platform.Data;

/// <summary>A user's favourite blueprint; per user, so a shared blueprint can be one user's favourite and not another's.</summary>
public class Favourite
{
    public required string UserId { get; set; }

    public Guid BlueprintId { get; set; }

    public DateTime CreatedAt { get; set; }
}
