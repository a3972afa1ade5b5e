namespace Aigc.Platform.Data;

/// <summary>
/// A personal API token. Only the SHA-256 of the secret is stored; <see cref="Prefix"/> is its public part, shown so
/// its owner can tell tokens apart. It acts with its owner's current roles.
/// </summary>
public class ApiToken
{
    public Guid Id { get; set; }

    public required string UserId { get; set; }

    public required string Name { get; set; }

    public required string Prefix { get; set; }

    /// <summary>Lower-case hex SHA-256 of the whole token as presented.</summary>
    public required string SecretHash { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>Updated at most once a minute, so busy scripts do not write on every call.</summary>
    public DateTime? LastUsedAt { get; set; }

    public DateTime? ExpiresAt { get; set; }

    public DateTime? RevokedAt { get; set; }
}
