using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aigc.Platform.Data;

/// <summary>The trace context column of <see cref="GenerationJob"/> (migration TraceFailuresAndPreferences).</summary>
public sealed class GenerationJobTraceConfiguration : IEntityTypeConfiguration<GenerationJob>
{
    /// <summary>"00-" + 32 hex trace id + "-" + 16 hex span id + "-" + 2 hex flags.</summary>
    public const int TraceParentLength = 55;

    public void Configure(EntityTypeBuilder<GenerationJob> job) =>
        job.Property(j => j.TraceParent).HasMaxLength(TraceParentLength);
}
