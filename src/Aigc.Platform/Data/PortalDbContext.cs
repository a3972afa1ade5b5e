using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Data;

/// <summary>
/// The portal's model, the same on every provider. Each provider has its own subclass, which owns that provider's
/// migration set (decision 0016): <see cref="SqlitePortalDbContext"/> and <see cref="PostgresPortalDbContext"/>.
/// </summary>
public abstract class PortalDbContext(DbContextOptions options) : IdentityDbContext<PortalUser>(options), IDataProtectionKeyContext
{
    /// <summary>Data-protection keys, shared by every instance so that any of them reads any cookie (decision 0016).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<Invite> Invites => Set<Invite>();

    public DbSet<ModelVersion> ModelVersions => Set<ModelVersion>();

    public DbSet<GenerationJob> GenerationJobs => Set<GenerationJob>();

    public DbSet<Blueprint> Blueprints => Set<Blueprint>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<BrandKit> BrandKits => Set<BrandKit>();

    public DbSet<AdCampaign> AdCampaigns => Set<AdCampaign>();

    public DbSet<AdCampaignBlueprint> AdCampaignBlueprints => Set<AdCampaignBlueprint>();

    public DbSet<AdRender> AdRenders => Set<AdRender>();

    public DbSet<StudioSettings> StudioSettings => Set<StudioSettings>();

    public DbSet<BlueprintTag> BlueprintTags => Set<BlueprintTag>();
    public DbSet<Favourite> Favourites => Set<Favourite>();
    public DbSet<Collection> Collections => Set<Collection>();
    public DbSet<CollectionItem> CollectionItems => Set<CollectionItem>();
    public DbSet<CollectionShare> CollectionShares => Set<CollectionShare>();
    public DbSet<SavedFilter> SavedFilters => Set<SavedFilter>();
    public DbSet<ThumbnailVariant> ThumbnailVariants => Set<ThumbnailVariant>();
    public DbSet<WorkerRecord> Workers => Set<WorkerRecord>();
    public DbSet<Dataset> Datasets => Set<Dataset>();
    public DbSet<DatasetVersion> DatasetVersions => Set<DatasetVersion>();
    public DbSet<DatasetImage> DatasetImages => Set<DatasetImage>();
    public DbSet<TrainingRun> TrainingRuns => Set<TrainingRun>();
    public DbSet<TrainingRunStep> TrainingRunSteps => Set<TrainingRunStep>();

    // Fixed here rather than taken from IdentityOptions so that the model, and thus the hand-written
    // migrations, never depend on how the host configured Identity. Version 2: no passkey table (WebAuthn
    // rejects the IP hosts the portal often runs on).
    protected override Version SchemaVersion => IdentitySchemaVersions.Version2;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<UtcDateTimeConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<PortalUser>(user =>
        {
            user.Property(u => u.DisplayName).HasMaxLength(100);
            user.Property(u => u.UiCulture).HasMaxLength(16);
            user.Property(u => u.UiTheme).HasMaxLength(8);
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

        builder.Entity<ModelVersion>(model =>
        {
            model.Property(m => m.Name).HasMaxLength(100);
            model.Property(m => m.Version).HasMaxLength(50);
            model.Property(m => m.WeightsSha256).HasMaxLength(64);
            model.Property(m => m.Status).HasConversion<string>().HasMaxLength(16);
            model.Property(m => m.StatusReason).HasMaxLength(2000);
            model.Property(m => m.AllowedRoles).HasMaxLength(256);
            model.Property(m => m.AddedBy).HasMaxLength(256);
            model.Ignore(m => m.AllowedRoleList);
            model.HasIndex(m => m.WeightsSha256).IsUnique();
            model.HasIndex(m => new { m.Name, m.Version }).IsUnique();
        });

        builder.Entity<GenerationJob>(job =>
        {
            job.Property(j => j.UserId).HasMaxLength(450);
            job.Property(j => j.ModelSha256).HasMaxLength(64);
            job.Property(j => j.ConditionsJson).HasMaxLength(4000);
            job.Property(j => j.Preset).HasMaxLength(64);
            job.Property(j => j.Status).HasConversion<string>().HasMaxLength(16);
            job.Property(j => j.Error).HasMaxLength(2000);
            job.Property(j => j.LeaseOwner).HasMaxLength(100);
            job.Property(j => j.FailureCause).HasConversion<string>().HasMaxLength(16);
            // The claim query: queued (or lease-expired running) jobs by priority, then age.
            job.HasIndex(j => new { j.Status, j.Priority, j.CreatedAt });
            job.HasIndex(j => new { j.UserId, j.CreatedAt });
            job.HasMany(j => j.Blueprints).WithOne(b => b.Job).HasForeignKey(b => b.JobId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<Blueprint>(blueprint =>
        {
            blueprint.Property(b => b.ConditionsJson).HasMaxLength(4000);
            blueprint.Property(b => b.FileSha256).HasMaxLength(64);
            blueprint.Property(b => b.ThumbnailSha256).HasMaxLength(64);
            blueprint.Property(b => b.ContentType).HasMaxLength(64);
            blueprint.HasIndex(b => new { b.JobId, b.Index }).IsUnique();
            blueprint.HasIndex(b => b.FileSha256);
        });

        // Each feature's tables are configured next to their entities.
        builder.ApplyConfiguration(new ApiTokenConfiguration());
        builder.ApplyConfiguration(new BrandKitConfiguration());
        builder.ApplyConfiguration(new AdCampaignConfiguration());
        builder.ApplyConfiguration(new AdCampaignBlueprintConfiguration());
        builder.ApplyConfiguration(new AdRenderConfiguration());
        builder.ApplyConfiguration(new ModelCardConfiguration());
        builder.ApplyConfiguration(new GenerationJobRecipeConfiguration());
        builder.ApplyConfiguration(new GenerationJobTraceConfiguration());
        builder.ApplyConfiguration(new StudioSettingsConfiguration());
        builder.ApplyConfiguration(new BlueprintCurationConfiguration());
        builder.ApplyConfiguration(new BlueprintTagConfiguration());
        builder.ApplyConfiguration(new FavouriteConfiguration());
        builder.ApplyConfiguration(new CollectionConfiguration());
        builder.ApplyConfiguration(new CollectionItemConfiguration());
        builder.ApplyConfiguration(new CollectionShareConfiguration());
        builder.ApplyConfiguration(new SavedFilterConfiguration());
        builder.ApplyConfiguration(new ThumbnailVariantConfiguration());
        builder.ApplyConfiguration(new WorkerRecordConfiguration());
        builder.ApplyConfiguration(new DatasetConfiguration());
        builder.ApplyConfiguration(new DatasetVersionConfiguration());
        builder.ApplyConfiguration(new DatasetImageConfiguration());
        builder.ApplyConfiguration(new TrainingRunConfiguration());
        builder.ApplyConfiguration(new TrainingRunStepConfiguration());
    }
}
