using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aigc.Platform.Data;

public sealed class TrainingRunConfiguration : IEntityTypeConfiguration<TrainingRun>
{
    public void Configure(EntityTypeBuilder<TrainingRun> run)
    {
        run.Property(r => r.ModelName).HasMaxLength(100);
        run.Property(r => r.VersionLabel).HasMaxLength(50);
        run.Property(r => r.DatasetName).HasMaxLength(100);
        run.Property(r => r.DataHash).HasMaxLength(71);
        run.Property(r => r.UserId).HasMaxLength(450);
        run.Property(r => r.UserName).HasMaxLength(256);
        run.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        run.Property(r => r.CheckpointSha256).HasMaxLength(64);
        run.Property(r => r.SamplesSha256).HasMaxLength(64);
        run.Property(r => r.VariantsSha256).HasMaxLength(64);
        run.Property(r => r.ModelSha256).HasMaxLength(64);
        run.Property(r => r.Error).HasMaxLength(2000);
        run.Property(r => r.LeaseOwner).HasMaxLength(100);
        run.HasOne<DatasetVersion>().WithMany().HasForeignKey(r => r.DatasetVersionId).OnDelete(DeleteBehavior.SetNull);
        // The claim: queued runs, or running ones whose lease expired, oldest first.
        run.HasIndex(r => new { r.Status, r.CreatedAt });
    }
}

public sealed class TrainingRunStepConfiguration : IEntityTypeConfiguration<TrainingRunStep>
{
    public void Configure(EntityTypeBuilder<TrainingRunStep> step)
    {
        step.HasKey(s => new { s.RunId, s.Step });
        step.HasOne<TrainingRun>().WithMany().HasForeignKey(s => s.RunId).OnDelete(DeleteBehavior.Cascade);
    }
}
