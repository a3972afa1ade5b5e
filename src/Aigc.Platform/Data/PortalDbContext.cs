using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Data;

public class PortalDbContext(DbContextOptions<PortalDbContext> options) : IdentityDbContext<PortalUser>(options)
{
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<Invite> Invites => Set<Invite>();

    // Fixed here rather than taken from IdentityOptions so that the model, and thus the hand-written
    // migrations, never depend on how the host configured Identity. Version 2: no passkey table (WebAuthn
    // rejects the IP hosts the portal often runs on).
    protected override Version SchemaVersion => IdentitySchemaVersions.Version2;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<PortalUser>(user =>
        {
            user.Property(u => u.DisplayName).HasMaxLength(100);
            user.HasIndex(u => u.ApprovedAt);
        });

        builder.Entity<AuditEntry>(entry =>
        {
            entry.Property(e => e.ActorId).HasMaxLength(450);
            entry.Property(e => e.ActorName).HasMaxLength(256);
            entry.Property(e => e.Action).HasMaxLength(64);
            entry.Property(e => e.TargetId).HasMaxLength(450);
            entry.Property(e => e.TargetName).HasMaxLength(256);
            entry.Property(e => e.Details).HasMaxLength(2000);
            entry.HasIndex(e => e.At);
        });

        builder.Entity<Invite>(invite =>
        {
            invite.Property(i => i.TokenHash).HasMaxLength(64);
            invite.Property(i => i.Email).HasMaxLength(256);
            invite.Property(i => i.Role).HasMaxLength(64);
            invite.Property(i => i.CreatedById).HasMaxLength(450);
            invite.Property(i => i.UsedByUserId).HasMaxLength(450);
            invite.HasIndex(i => i.TokenHash).IsUnique();
        });
    }
}
