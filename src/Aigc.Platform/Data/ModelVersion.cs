namespace Aigc.Platform.Data;

/// <summary>One registered model version. Its identity everywhere is the SHA-256 of its weights; rows are never deleted.</summary>
public class ModelVersion
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public required string Version { get; set; }

    /// <summary>Lower-case hex SHA-256 of generator.safetensors.</summary>
    public required string WeightsSha256 { get; set; }

    public long WeightsBytes { get; set; }

    public required string ManifestJson { get; set; }

    public ModelVersionStatus Status { get; set; }

    /// <summary>Why the version is broken (or retired), shown to admins.</summary>
    public string? StatusReason { get; set; }

    /// <summary>Comma-separated roles allowed to use the version; empty means every role.</summary>
    public string AllowedRoles { get; set; } = "";

    public required string AddedBy { get; set; }

    public DateTime AddedAt { get; set; }

    public DateTime? ActivatedAt { get; set; }

    /// <summary>The model card (Markdown, rendered without raw HTML), from model-card.md of the registered folder.</summary>
    public string? ModelCard { get; set; }

    /// <summary>The licence text of the weights, from LICENSE of the registered folder.</summary>
    public string? License { get; set; }

    /// <summary>Evaluation and training figures (metrics.json of the registered folder), kept as written.</summary>
    public string? MetricsJson { get; set; }

    /// <summary>Blob hash of the sample grid PNG (samples.png of the registered folder).</summary>
    public string? SamplesSha256 { get; set; }

    /// <summary>The version that was active before this one was activated: where a roll back goes.</summary>
    public string? PreviousActiveSha256 { get; set; }

    public IReadOnlyList<string> AllowedRoleList =>
        AllowedRoles.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>Stored as text. At most one version per model name is <see cref="Active"/>.</summary>
public enum ModelVersionStatus
{
    Draft,
    Active,
    Retired,
    Broken,
}
