using System.ComponentModel.DataAnnotations;

namespace Aigc.Platform;

/// <summary>Where the portal keeps its data, and which database it uses.</summary>
public sealed class PlatformOptions : IValidatableObject
{
    public const string SectionName = "Platform";

    /// <summary>Database, blobs and keys live under this folder. Relative paths resolve against the working directory.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = "data";

    /// <summary>Only "Sqlite" for now.</summary>
    public string DatabaseProvider { get; set; } = "Sqlite";

    /// <summary>Empty means a SQLite file "aigc.db" in the data directory.</summary>
    public string? ConnectionString { get; set; }

    public string DataDirectoryFullPath => Path.GetFullPath(DataDirectory);

    public string ResolveConnectionString() =>
        string.IsNullOrWhiteSpace(ConnectionString)
            ? $"Data Source={Path.Combine(DataDirectoryFullPath, "aigc.db")}"
            : ConnectionString;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.Equals(DatabaseProvider, "Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(DatabaseProvider)} must be \"Sqlite\" (got \"{DatabaseProvider}\").",
                [nameof(DatabaseProvider)]);
        }

        if (DataDirectory.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(DataDirectory)} is not a valid path.", [nameof(DataDirectory)]);
        }
    }
}
