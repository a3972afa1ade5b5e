using Aigc.Platform.Data;
using Aigc.Platform.Queue;

namespace Aigc.Platform.Tests.Queue;

public sealed class ClaimRoomTests
{
    private static readonly DateTime Start = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);
    private static readonly HashSet<string> Nobody = [];

    [Fact]
    public void Users_take_turns_so_a_later_user_s_first_job_comes_before_an_earlier_user_s_second()
    {
        var alice = Enumerable.Range(0, 3).Select(i => Candidate("alice", 1, minutes: i)).ToList();
        var bob = Candidate("bob", 1, minutes: 10);

        var chosen = ClaimRoom.ForJobs(3).Choose([.. alice, bob]);

        Assert.Equal([alice[0].Id, bob.Id, alice[1].Id], chosen);
    }

    [Fact]
    public void Interactive_jobs_go_before_bulk_ones_whatever_their_age()
    {
        var bulk = Candidate("alice", 1, minutes: 0, JobPriority.Bulk);
        var preview = Candidate("bob", 1, minutes: 5);

        Assert.Equal([preview.Id, bulk.Id], ClaimRoom.ForJobs(2).Choose([bulk, preview]));
    }

    [Fact]
    public void The_image_room_leaves_the_rest_of_the_queue_to_other_workers_but_lets_a_newcomer_in()
    {
        var alice = Enumerable.Range(0, 3).Select(i => Candidate("alice", 16, minutes: i)).ToList();
        var bob = Candidate("bob", 4, minutes: 10);
        var room = new ClaimRoom(Jobs: 64, Images: 16, NewcomerImages: 16, HeldUsers: Nobody);

        Assert.Equal([alice[0].Id, bob.Id], room.Choose([.. alice, bob]));
    }

    [Fact]
    public void A_full_worker_takes_only_users_it_holds_nothing_of_up_to_the_newcomers_room()
    {
        var alice = Candidate("alice", 4, minutes: 0);
        var bob = Candidate("bob", 4, minutes: 1);
        var carol = Candidate("carol", 4, minutes: 2);
        var dave = Candidate("dave", 4, minutes: 3);
        var full = new ClaimRoom(Jobs: 64, Images: -10, NewcomerImages: 8, HeldUsers: new HashSet<string> { "alice" });

        Assert.Equal([bob.Id, carol.Id], full.Choose([alice, bob, carol, dave]));
    }

    [Fact]
    public void No_room_for_jobs_means_nothing_is_chosen()
    {
        Assert.Empty(new ClaimRoom(0, 100, 100, Nobody).Choose([Candidate("alice", 1, minutes: 0)]));
    }

    private static ClaimCandidate Candidate(string user, int images, int minutes,
        JobPriority priority = JobPriority.Interactive) =>
        new(Guid.NewGuid(), user, priority, Start.AddMinutes(minutes), images);
}
