using Aigc.Platform.Queue;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Tests.Queue;

/// <summary>Which errors are the machine's (retried, no attempt spent) and which the job's (decision 0019).</summary>
public sealed class InfrastructureFaultTests
{
    public static TheoryData<Exception, bool> Errors => new()
    {
        { new IOException("No space left on device"), true },
        { new UnauthorizedAccessException("Access to the path '/data/blobs/ab' is denied.", new IOException("Permission denied")), true },
        { new SqliteException("database is locked", 5), true },
        { new SqliteException("disk I/O error", 10), true },
        { new SqliteException("database or disk is full", 13), true },
        // EF wraps what the database said: the cause is found inside.
        { new DbUpdateException("An error occurred while saving the entity changes.", new SqliteException("database is locked", 5)), true },
        { new AggregateException(new InvalidOperationException("bad preset"), new IOException("I/O error")), true },
        { new DbUpdateException("An error occurred while saving the entity changes.", new SqliteException("UNIQUE constraint failed", 19)), false },
        { new InvalidOperationException("libvips ran out of memory"), false },
        { new OperationCanceledException(), false },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void Io_permission_and_busy_database_errors_are_transient_and_the_jobs_own_are_not(Exception error, bool transient) =>
        Assert.Equal(transient, InfrastructureFault.IsTransient(error));

    [Fact]
    public void The_cause_is_described_in_its_own_words_and_the_systems()
    {
        var wrapped = new DbUpdateException("An error occurred while saving the entity changes.",
            new UnauthorizedAccessException("Access to the path '/data/blobs/ab' is denied.", new IOException("Permission denied")));

        Assert.Equal("Access to the path '/data/blobs/ab' is denied. (Permission denied)", InfrastructureFault.Describe(wrapped));
    }
}
