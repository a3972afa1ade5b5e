using Aigc.Platform.Queue;

namespace Aigc.Platform.Tests.Queue;

public class StoringQueueTests
{
    [Fact]
    public async Task The_next_batch_waits_for_the_previous_ones_post_processing_but_not_for_its_commit()
    {
        var queue = new StoringQueue(limit: 2);
        var (rendering, stored) = (new BatchRendering(2), new TaskCompletionSource<List<Guid>>());
        queue.Add(rendering, stored.Task);

        var room = queue.MakeRoomAsync();
        rendering.ImageDone();
        Assert.False(room.IsCompleted);
        rendering.ImageDone();

        Assert.Empty(await room);
        Assert.Equal(1, queue.Count);
        Assert.False(stored.Task.IsCompleted);
    }

    [Fact]
    public async Task At_the_limit_the_next_batch_waits_for_the_oldest_to_be_stored_and_gets_its_ended_jobs()
    {
        var queue = new StoringQueue(limit: 2);
        var ended = Guid.NewGuid();
        var stored = new[] { new TaskCompletionSource<List<Guid>>(), new TaskCompletionSource<List<Guid>>() };
        foreach (var batch in stored)
            queue.Add(Rendered(1), batch.Task);

        var room = queue.MakeRoomAsync();
        Assert.False(room.IsCompleted);
        stored[0].SetResult([ended]);

        Assert.Equal([ended], await room);
        Assert.Equal(1, queue.Count);
    }

    [Fact]
    public async Task With_a_limit_of_one_the_next_batch_waits_for_the_previous_commit()
    {
        var queue = new StoringQueue(limit: 1);
        var stored = new TaskCompletionSource<List<Guid>>();
        queue.Add(Rendered(3), stored.Task);

        var room = queue.MakeRoomAsync();
        Assert.False(room.IsCompleted);
        stored.SetResult([]);

        await room;
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task Stored_batches_leave_early_and_one_that_failed_before_rendering_does_not_block()
    {
        var queue = new StoringQueue(limit: 8);
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        queue.Add(Rendered(1), Task.FromResult(new List<Guid> { first }));
        queue.Add(Rendered(1), Task.FromResult(new List<Guid> { second }));
        // Its storing ended (a fault) with one of two images never post-processed.
        var broken = new BatchRendering(2);
        broken.ImageDone();
        queue.Add(broken, Task.FromException<List<Guid>>(new IOException("disk full")));

        var room = queue.MakeRoomAsync();

        Assert.Equal("disk full", (await Assert.ThrowsAsync<IOException>(() => room)).Message);
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public async Task Draining_returns_every_batch_s_ended_jobs_in_order()
    {
        var queue = new StoringQueue(limit: 3);
        var ids = new[] { Guid.NewGuid(), Guid.NewGuid() };
        foreach (var id in ids)
            queue.Add(Rendered(1), Task.FromResult(new List<Guid> { id }));

        Assert.Equal(ids, await queue.DrainAsync());
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void A_batch_cannot_count_more_images_out_than_it_holds()
    {
        var rendering = Rendered(1);
        Assert.True(rendering.Done.IsCompleted);
        Assert.Throws<InvalidOperationException>(rendering.ImageDone);
    }

    private static BatchRendering Rendered(int images)
    {
        var rendering = new BatchRendering(images);
        for (var i = 0; i < images; i++)
            rendering.ImageDone();
        return rendering;
    }
}
