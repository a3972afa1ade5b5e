using Aigc.Platform.Data;
using Aigc.Platform.Queue;

namespace Aigc.Platform.Tests.Queue;

public class FairBatchPlannerTests
{
    private static readonly DateTime Start = new(2026, 12, 4, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Previews_of_several_users_are_planned_each_in_one_piece()
    {
        var planner = new FairBatchPlanner(imagesPerTurn: 4);
        var (alice, bob, carol) = (Job("alice", 4, 0), Job("bob", 4, 1), Job("carol", 4, 2));
        foreach (var job in new[] { alice, bob, carol })
            planner.Add(job, new HashSet<int>());

        var first = planner.NextBatch(8);
        var second = planner.NextBatch(8);

        Assert.Equal([alice.Id, alice.Id, alice.Id, alice.Id, bob.Id, bob.Id, bob.Id, bob.Id], first.Select(p => p.Job.Id));
        Assert.Equal([0, 1, 2, 3, 0, 1, 2, 3], first.Select(p => p.Index));
        Assert.Equal([carol.Id, carol.Id, carol.Id, carol.Id], second.Select(p => p.Job.Id));
    }

    [Fact]
    public void A_preview_submitted_after_a_large_job_still_shares_its_first_batch()
    {
        var planner = new FairBatchPlanner(imagesPerTurn: 4);
        var large = Job("alice", 64, 0);
        var small = Job("bob", 4, 1);
        planner.Add(large, new HashSet<int>());
        planner.Add(small, new HashSet<int>());

        var batch = planner.NextBatch(16);

        Assert.Equal(4, batch.Count(p => p.Job.Id == small.Id));
        Assert.Equal(12, batch.Count(p => p.Job.Id == large.Id));
        Assert.Equal(52, planner.Find(large.Id)!.Pending.Count);
    }

    [Fact]
    public void A_turn_of_one_image_alternates_users_image_by_image()
    {
        var planner = new FairBatchPlanner(imagesPerTurn: 1);
        var (alice, bob) = (Job("alice", 4, 0), Job("bob", 4, 1));
        planner.Add(alice, new HashSet<int>());
        planner.Add(bob, new HashSet<int>());

        Assert.Equal([alice.Id, bob.Id, alice.Id, bob.Id], planner.NextBatch(4).Select(p => p.Job.Id));
    }

    [Fact]
    public void A_turn_goes_on_into_the_users_next_job_and_interactive_images_go_first()
    {
        var planner = new FairBatchPlanner(imagesPerTurn: 4);
        var bulk = Job("alice", 8, 0, JobPriority.Bulk);
        var one = Job("bob", 1, 1);
        var two = Job("bob", 2, 2);
        foreach (var job in new[] { bulk, one, two })
            planner.Add(job, new HashSet<int>());

        var batch = planner.NextBatch(4);

        Assert.Equal([one.Id, two.Id, two.Id, bulk.Id], batch.Select(p => p.Job.Id));
    }

    [Fact]
    public void A_turn_of_no_images_is_refused()
    {
        var refused = Assert.Throws<ArgumentOutOfRangeException>(() => new FairBatchPlanner(0));
        Assert.Contains("at least one image", refused.Message);
    }

    private static GenerationJob Job(string user, int count, int minutes, JobPriority priority = JobPriority.Interactive) => new()
    {
        Id = Guid.NewGuid(),
        UserId = user,
        ModelSha256 = new string('a', 64),
        ConditionsJson = "{}",
        Count = count,
        Preset = "default",
        Priority = priority,
        Status = JobStatus.Running,
        CreatedAt = Start.AddMinutes(minutes),
    };
}
