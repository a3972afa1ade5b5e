namespace Aigc.Platform.Data;

/// <summary>A user's last Studio form (model, conditions, count, seed lock, preset), restored when the Studio opens without a query.</summary>
public class StudioSettings
{
    public required string UserId { get; set; }

    /// <summary>The form as a query string, in the Studio URL contract.</summary>
    public required string Query { get; set; }

    public DateTime UpdatedAt { get; set; }
}
