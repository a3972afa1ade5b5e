using Aigc.Generation;
using Aigc.Generation.Inference;
using Aigc.Generation.Manifest;
using Aigc.Platform.Models;

namespace Aigc.Platform.Tests.Queue;

public sealed class GeneratorBatchTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("Cpu")]
    [InlineData("Onnx")]
    public async Task A_served_image_does_not_depend_on_the_batch_it_is_generated_in(string device)
    {
        await using var host =
            await ServiceHost.StartAsync(_folder.Sub("data"), new() { ["Inference:Device"] = device });
        var version = await host.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Path, 7), "v1");
        var generator = await host.Get<LoadedModels>().GetAsync(version.WeightsSha256);
        var served = host.Get<IInferenceDevice>();
        Assert.Equal(device, served.Kind.ToString());
        var parts = generator.Manifest.Conditions[0].Values!;
        var items = Enumerable.Range(0, 24)
            .Select(i => new GenerationItem(new ConditionValues().Set("part", parts[i % parts.Count]).Set("view", "front").Set("complexity", "low"), (ulong)(100 + i)))
            .ToList();

        var whole = await served.GenerateAsync(generator, items);
        foreach (var (size, offset) in new[] { (1, 0), (8, 3), (5, 1) })
        {
            var shifted = items.Skip(offset).Concat(items.Take(offset)).ToList();
            var chunks = new List<float[]>();
            foreach (var chunk in shifted.Chunk(size))
                chunks.AddRange(await served.GenerateAsync(generator, chunk));
            for (var i = 0; i < items.Count; i++)
                Assert.True(whole[(i + offset) % items.Count].AsSpan().SequenceEqual(chunks[i]), $"image {(i + offset) % items.Count} differs in batches of {size} shifted by {offset}");
        }
    }
}
