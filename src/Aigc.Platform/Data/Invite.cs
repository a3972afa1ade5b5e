namespace Aigc.Platform.Data;

/// <summary>A single-use registration link. Only the SHA-256 of the token is stored.</summary>
public class Invite
{
    public Guid Id { get; set; }

    public required string TokenHash { get; set; }

    public string? Email { get; set; }

    public required string Role { get; set; }

    public required string CreatedById { get; set; }

    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime? UsedAt { get; set; }

    public string? UsedByUserId { get; set; }
}
