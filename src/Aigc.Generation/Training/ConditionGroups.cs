using Aigc.Generation.Datasets;
using Aigc.Neural;

namespace Aigc.Generation.Training;

/// <summary>
/// The dataset's images grouped by exact condition, for a packed discriminator: each pack of a batch is one
/// image drawn from the whole dataset and pack − 1 others of its condition, all different images.
/// </summary>
public sealed class ConditionGroups
{
    private readonly int[][] _groups;
    private readonly int[] _groupOf;

    private ConditionGroups(int[][] groups, int[] groupOf, int pack)
    {
        _groups = groups;
        _groupOf = groupOf;
        Pack = pack;
    }

    public int Pack { get; }

    /// <summary>Refuses data where some condition has fewer than <paramref name="pack"/> images, naming them.</summary>
    public static ConditionGroups Of(BlueprintDataset data, int pack)
    {
        var byLabel = data.Entries.Select((e, i) => (e.Label, Index: i)).GroupBy(e => e.Label).ToList();
        var small = byLabel.Where(g => g.Count() < pack).Select(g => $"{g.Key.Part}/{g.Key.View}/{g.Key.Complexity} ({g.Count()})").ToList();
        if (small.Count > 0)
            throw new ArgumentException($"The discriminator packs {pack} images of one condition, but these conditions have fewer: {string.Join(", ", small)}. Add images or use a manifest without packing.");
        var groups = byLabel.Select(g => g.Select(e => e.Index).ToArray()).ToArray();
        var groupOf = new int[data.Count];
        for (var g = 0; g < groups.Length; g++)
            foreach (var i in groups[g])
                groupOf[i] = g;
        return new ConditionGroups(groups, groupOf, pack);
    }

    /// <summary>Fills <paramref name="into"/> (a multiple of <see cref="Pack"/> long) with packs.</summary>
    public void DrawBatch(RandomSource random, Span<int> into)
    {
        for (var start = 0; start < into.Length; start += Pack)
        {
            var anchor = (int)(random.NextUInt64() % (ulong)_groupOf.Length);
            var members = _groups[_groupOf[anchor]];
            into[start] = anchor;
            for (var m = start + 1; m < start + Pack; m++)
            {
                int pick;
                do
                    pick = members[(int)(random.NextUInt64() % (ulong)members.Length)];
                while (into[start..m].Contains(pick));
                into[m] = pick;
            }
        }
    }
}
