using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Aigc.Platform.Data;

/// <summary>
/// A generation worker as it last reported itself (portal in-process worker or `aigc worker`). A worker beats every
/// Queue:HeartbeatSeconds; one that missed three beats is gone: it leaves the list and its jobs return to the queue.
/// </summary>
public class WorkerRecord
{
    /// <summary>The worker's lease owner name (host:pid:nonce), the value in GenerationJobs.LeaseOwner.</summary>
    public required string Id { get; set; }

    public required string Host { get; set; }

    /// <summary>The inference device's own description (e.g. "CPU · OpenBLAS 0.3.21 SkylakeX · 1 thread").</summary>
    public required string Device { get; set; }

    public int ActiveJobs { get; set; }

    public int PendingImages { get; set; }

    public DateTime StartedAt { get; set; }

    public DateTime HeartbeatAt { get; set; }
}

internal sealed class WorkerRecordConfiguration : IEntityTypeConfiguration<WorkerRecord>
{
    public void Configure(EntityTypeBuilder<WorkerRecord> worker)
    {
        worker.ToTable("Workers");
        worker.Property(w => w.Id).HasMaxLength(100);
        worker.Property(w => w.Host).HasMaxLength(256);
        worker.Property(w => w.Device).HasMaxLength(256);
        worker.HasIndex(w => w.HeartbeatAt);
    }
}
