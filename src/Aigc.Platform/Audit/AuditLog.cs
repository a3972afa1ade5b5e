using System.Security.Claims;
using Aigc.Platform.Data;

namespace Aigc.Platform.Audit;

/// <summary>Appends administrative changes to the audit table, in the caller's unit of work.</summary>
public sealed class AuditLog(PortalDbContext db, TimeProvider clock)
{
    /// <summary>Adds an entry; it is written with the caller's next SaveChanges, so the change and its record land together.</summary>
    public void Record(ClaimsPrincipal? actor, string action, string? targetId = null, string? targetName = null, string? details = null)
    {
        db.AuditEntries.Add(new AuditEntry
        {
            At = clock.GetUtcNow().UtcDateTime,
            ActorId = actor?.FindFirstValue(ClaimTypes.NameIdentifier),
            ActorName = actor?.Identity?.Name ?? "system",
            Action = action,
            TargetId = targetId,
            TargetName = targetName,
            Details = details,
        });
    }
}
