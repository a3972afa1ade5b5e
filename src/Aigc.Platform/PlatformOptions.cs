using System.ComponentModel.DataAnnotations;

namespace Aigc.Platform;

/// <summary>Where the portal keeps its data; which database holds it is <see cref="Data.DatabaseOptions"/>.</summary>
public sealed class PlatformOptions : IValidatableObject
{
    public const string SectionName = "Platform";

    /// <summary>Database, blobs and keys live under this folder. Relative paths resolve against the working directory.</summary>
    [Required(AllowEmptyStrings = false)]
    public string DataDirectory { get; set; } = "data";

    public string DataDirectoryFullPath => Path.GetFullPath(DataDirectory);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (DataDirectory.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(DataDirectory)} is not a valid path.", [nameof(DataDirectory)]);
        }
    }
}
