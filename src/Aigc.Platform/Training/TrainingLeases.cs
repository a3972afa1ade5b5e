using Aigc.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace Aigc.Platform.Training;

/// <summary>
/// The worker side of training runs, like <c>JobLeases</c> for generation: every change is one conditional UPDATE
/// naming this worker as the lease owner, so a worker that lost its run (its lease expired and another took it)
/// can no longer write anything for it.
/// </summary>
public sealed class TrainingLeases(IDbContextFactory<PortalDbContext> contexts, string owner, TimeSpan lease, TimeProvider clock)
{
    public string Owner { get; } = owner;

    /// <summary>Takes the oldest queued run, or one whose worker stopped renewing (running or evaluating), if any.</summary>
    public async Task<TrainingRun?> ClaimAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var candidates = await db.TrainingRuns
            .Where(r => r.Status == TrainingRunStatus.Queued
                || ((r.Status == TrainingRunStatus.Running || r.Status == TrainingRunStatus.Evaluating) && r.LeaseExpiresAt < now))
            .OrderBy(r => r.CreatedAt).Select(r => r.Id).Take(3).ToListAsync(cancellationToken);
        foreach (var id in candidates)
        {
            var won = await db.TrainingRuns
                .Where(r => r.Id == id && (r.Status == TrainingRunStatus.Queued
                    || ((r.Status == TrainingRunStatus.Running || r.Status == TrainingRunStatus.Evaluating) && r.LeaseExpiresAt < now)))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, TrainingRunStatus.Running)
                    .SetProperty(r => r.LeaseOwner, Owner)
                    .SetProperty(r => r.LeaseExpiresAt, now + lease)
                    .SetProperty(r => r.Error, (string?)null)
                    .SetProperty(r => r.StartedAt, r => r.StartedAt ?? now), cancellationToken);
            if (won == 1)
                return await db.TrainingRuns.AsNoTracking().SingleAsync(r => r.Id == id, cancellationToken);
        }

        return null;
    }

    /// <summary>
    /// Forgets the steps after the checkpoint a resumed run starts from (a killed worker may have logged some).
    /// </summary>
    public async Task RewindAsync(TrainingRun run, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.TrainingRunSteps.Where(s => s.RunId == run.Id && s.Step > run.CheckpointStep).ExecuteDeleteAsync(cancellationToken);
        await Ours(db, run.Id).ExecuteUpdateAsync(s => s.SetProperty(r => r.StepsDone, run.CheckpointStep), cancellationToken);
    }

    /// <summary>
    /// Logs a step and renews the lease. Returns the run's status when this worker still holds it, null when it
    /// lost it (the caller stops without writing anything more).
    /// </summary>
    public async Task<TrainingRunStatus?> StepAsync(Guid runId, int step, double lossD, double lossG, double? stepsPerSecond,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var renewed = await Ours(db, runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.StepsDone, step)
            .SetProperty(r => r.StepsPerSecond, stepsPerSecond)
            .SetProperty(r => r.LeaseExpiresAt, now + lease), cancellationToken);
        if (renewed == 0)
            return null;
        db.TrainingRunSteps.Add(new TrainingRunStep { RunId = runId, Step = step, DiscriminatorLoss = lossD, GeneratorLoss = lossG, At = now });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return await db.TrainingRuns.Where(r => r.Id == runId).Select(r => r.Status).SingleAsync(cancellationToken);
    }

    /// <summary>Renews the lease while the run waits (for generation); the run's status, or null when lost.</summary>
    public async Task<TrainingRunStatus?> RenewAsync(Guid runId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        if (await Ours(db, runId).ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseExpiresAt, now + lease), cancellationToken) == 0)
            return null;
        return await db.TrainingRuns.Where(r => r.Id == runId).Select(r => r.Status).SingleAsync(cancellationToken);
    }

    /// <summary>Changes the row while this worker holds it; false when it does not any more.</summary>
    public async Task<bool> SetAsync(Guid runId, Action<UpdateSettersBuilder<TrainingRun>> set, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return await Ours(db, runId).ExecuteUpdateAsync(set, cancellationToken) == 1;
    }

    /// <summary>Gives the run up: back to the queue (a graceful stop), or kept paused or cancelled as a person asked.</summary>
    public async Task ReleaseAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await Ours(db, runId).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Status, r => r.Status == TrainingRunStatus.Running || r.Status == TrainingRunStatus.Evaluating
                ? TrainingRunStatus.Queued : r.Status)
            .SetProperty(r => r.LeaseOwner, (string?)null)
            .SetProperty(r => r.LeaseExpiresAt, (DateTime?)null), cancellationToken);
    }

    private IQueryable<TrainingRun> Ours(PortalDbContext db, Guid runId) =>
        db.TrainingRuns.Where(r => r.Id == runId && r.LeaseOwner == Owner);
}
