using Aigc.Generation;
using Aigc.Generation.Manifest;
using Aigc.Platform.Models;

namespace Aigc.Platform.Tests.Queue;

public sealed class GeneratorBatchTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_served_image_does_not_depend_on_the_batch_it_is_generated_in()
    {
        await using var host = await ServiceHost.StartAsync(_folder.Sub("data"));
        var version = await host.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Path, 7), "v1");
        var generator = await host.Get<LoadedModels>().GetAsync(version.WeightsSha256);
        var parts = generator.Manifest.Conditions[0].Values!;
        var items = Enumerable.Range(0, 24)
            .Select(i => new GenerationItem(new ConditionValues().Set("part", parts[i % parts.Count]).Set("view", "front").Set("complexity", "low"), (ulong)(100 + i)))
            .ToList();

        var whole = generator.Generate(items);
        foreach (var (size, offset) in new[] { (1, 0), (8, 3), (5, 1) })
        {
            var shifted = items.Skip(offset).Concat(items.Take(offset)).ToList();
            var chunks = shifted.Chunk(size).SelectMany(chunk => generator.Generate(chunk)).ToList();
            for (var i = 0; i < items.Count; i++)
                Assert.True(whole[(i + offset) % items.Count].AsSpan().SequenceEqual(chunks[i]), $"image {(i + offset) % items.Count} differs in batches of {size} shifted by {offset}");
        }
    }
}
