using System.ComponentModel.DataAnnotations;

namespace Aigc.Platform.Data;

/// <summary>Which database engine holds the portal's data (decision 0016).</summary>
public sealed class DatabaseOptions : IValidatableObject
{
    public const string SectionName = "Database";
    public const string Sqlite = "Sqlite";
    public const string Postgres = "Postgres";

    /// <summary>"Sqlite" (one machine, the default) or "Postgres" (several instances and workers).</summary>
    public string Provider { get; set; } = Sqlite;

    /// <summary>
    /// SQLite: empty means the file "aigc.db" in the data directory. PostgreSQL: required, either Npgsql's
    /// "Host=…;Database=…" form or a postgres://user:password@host:port/database URL.
    /// </summary>
    public string? ConnectionString { get; set; }

    public bool IsPostgres => string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase);

    /// <summary>The connection string the provider is given, with the SQLite default filled in and a URL converted.</summary>
    public string ResolveConnectionString(string dataDirectoryFullPath)
    {
        if (IsPostgres)
            return PostgresConnectionString.From(ConnectionString ?? "");
        return string.IsNullOrWhiteSpace(ConnectionString)
            ? $"Data Source={Path.Combine(dataDirectoryFullPath, "aigc.db")}"
            : ConnectionString;
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsPostgres && !string.Equals(Provider, Sqlite, StringComparison.OrdinalIgnoreCase))
        {
            yield return new ValidationResult(
                $"{SectionName}:{nameof(Provider)} must be \"{Sqlite}\" or \"{Postgres}\" (got \"{Provider}\").", [nameof(Provider)]);
            yield break;
        }

        if (!IsPostgres)
            yield break;
        string? problem = null;
        if (string.IsNullOrWhiteSpace(ConnectionString))
            problem = "is required when the provider is Postgres";
        else
        {
            try
            {
                PostgresConnectionString.From(ConnectionString);
            }
            catch (FormatException e)
            {
                problem = e.Message;
            }
        }

        if (problem is not null)
            yield return new ValidationResult($"{SectionName}:{nameof(ConnectionString)} {problem}.", [nameof(ConnectionString)]);
    }
}
