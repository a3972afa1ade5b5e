using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Aigc.Platform.Data;

/// <summary>
/// Every DateTime the portal stores is UTC. SQLite keeps no kind and hands values back unspecified, which
/// serialise without a zone ("…T19:00:00" instead of "…T19:00:00Z") and shift when a caller converts them; so
/// values are marked UTC as they are read, and a local value is converted before it is written.
/// </summary>
public sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    value => value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : DateTime.SpecifyKind(value, DateTimeKind.Utc),
    value => DateTime.SpecifyKind(value, DateTimeKind.Utc));
