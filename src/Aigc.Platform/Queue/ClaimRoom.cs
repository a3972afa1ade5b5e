using Aigc.Platform.Data;

namespace Aigc.Platform.Queue;

/// <summary>
/// What a worker has room to claim: more jobs, more images not yet in a batch, a separate room for the jobs of users
/// whose images it holds none of (<paramref name="NewcomerImages"/>), and who those users are. Claims take
/// users in turns and stop at the room, so a worker does not hoard a queue that another worker could be making, while a
/// newcomer's preview still joins the next batch of a busy worker (decision 0009).
/// </summary>
public sealed record ClaimRoom(int Jobs, int Images, int NewcomerImages, IReadOnlySet<string> HeldUsers)
{
    /// <summary>The oldest claimable jobs looked at per claim; fairness between users holds within them.</summary>
    internal const int CandidateWindow = 256;

    /// <summary>Room for this many jobs of any size, users in turns.</summary>
    public static ClaimRoom ForJobs(int jobs) => new(jobs, int.MaxValue, 0, new HashSet<string>());

    /// <summary>
    /// Interactive before bulk; within a priority every user's oldest claimable job before anyone's second, and so on.
    /// A job is taken while the images taken are under the room; past it, a job of a user new to this worker is taken
    /// while the newcomers' room lasts.
    /// </summary>
    internal List<Guid> Choose(IEnumerable<ClaimCandidate> candidates)
    {
        var inTurns = candidates
            .GroupBy(c => (c.Priority, c.UserId))
            .SelectMany(user => user.OrderBy(c => c.CreatedAt).Select((c, turn) => (Candidate: c, Turn: turn)))
            .OrderBy(t => t.Candidate.Priority).ThenBy(t => t.Turn).ThenBy(t => t.Candidate.CreatedAt)
            .Select(t => t.Candidate);
        var users = new HashSet<string>(HeldUsers, StringComparer.Ordinal);
        var chosen = new List<Guid>();
        long images = 0, newcomers = 0;
        foreach (var candidate in inTurns)
        {
            if (chosen.Count >= Jobs)
                break;
            var newcomer = users.Add(candidate.UserId);
            if (images < Images)
                images += candidate.Images;
            else if (newcomer && newcomers < NewcomerImages)
                newcomers += candidate.Images;
            else
                continue;
            chosen.Add(candidate.Id);
        }

        return chosen;
    }
}

/// <summary>A claimable job as a claim weighs it: its user, priority, age and the images it still needs.</summary>
internal sealed record ClaimCandidate(Guid Id, string UserId, JobPriority Priority, DateTime CreatedAt, int Images);
