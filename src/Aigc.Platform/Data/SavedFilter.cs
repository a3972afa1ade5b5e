namespace Aigc.Platform.Data;

/// <summary>A named gallery search of one user: the query string of the gallery URL.</summary>
public class SavedFilter
{
    public Guid Id { get; set; }

    public required string UserId { get; set; }

    public required string Name { get; set; }

    public required string Query { get; set; }

    public DateTime CreatedAt { get; set; }
}
