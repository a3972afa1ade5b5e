using Aigc.Generation.Manifest;
using Aigc.Generation.Training;
using Aigc.Neural;
using Aigc.Neural.Layers;

namespace Aigc.Generation.Tests;

public class CheckpointTests
{
    [Theory]
    [InlineData("openblas")]
    [InlineData("managed")]
    public void Resuming_from_a_checkpoint_is_bit_identical(string provider)
    {
        var manifest = Support.TinyManifest();
        var settings = new CganTrainingSettings { EmaDecay = 0.9f, ClipNorm = 10 };
        var engine = Support.Engine(provider, 2);
        var (real, conditions) = Batch(manifest);
        var path = Path.GetTempFileName();

        var straight = new CganTrainer(manifest, engine, settings, seed: 1);
        for (ulong step = 0; step < 3; step++)
            straight.Step(real, conditions, step);
        CganCheckpoint.Save(straight, path);
        for (ulong step = 3; step < 5; step++)
            straight.Step(real, conditions, step);

        var resumed = new CganTrainer(manifest, engine, settings, seed: 99);
        CganCheckpoint.Load(resumed, path);
        for (ulong step = 3; step < 5; step++)
            resumed.Step(real, conditions, step);

        AssertSameState(straight.Generator, resumed.Generator);
        AssertSameState(straight.Discriminator, resumed.Discriminator);
        AssertSameState(straight.EmaGenerator!, resumed.EmaGenerator!);
        Assert.Equal(5, resumed.GeneratorOptimizer.StepCount);
        File.Delete(path);
    }

    [Fact]
    public void A_checkpoint_for_other_settings_is_refused()
    {
        var manifest = Support.TinyManifest();
        var engine = Support.Engine("managed");
        var path = Path.GetTempFileName();
        CganCheckpoint.Save(new CganTrainer(manifest, engine, new CganTrainingSettings(), seed: 1), path);
        var withEma = new CganTrainer(manifest, engine, new CganTrainingSettings { EmaDecay = 0.99f }, seed: 1);
        Assert.Contains("EMA does not match", Assert.Throws<InvalidDataException>(() => CganCheckpoint.Load(withEma, path)).Message);
        File.Delete(path);
    }

    private static (Tensor Real, ConditionBatch Conditions) Batch(CganManifest manifest)
    {
        const int n = 4;
        var real = new Tensor(n, 3, manifest.ImageSize, manifest.ImageSize);
        new RandomSource(2).FillUniform(real, -1, 1);
        var conditions = manifest.Schema.Encode(Enumerable.Range(0, n)
            .Select(i => new ConditionValues().Set("part", i % 2 == 0 ? "gear" : "housing").Set("view", "iso").Set("complexity", i * 2.5))
            .ToArray());
        return (real, conditions);
    }

    private static void AssertSameState(Module a, Module b)
    {
        foreach (var ((name, sa), (_, sb)) in a.StateDict().Zip(b.StateDict()))
        {
            if (sa is TensorSlot ta)
                Assert.True(ta.Tensor.Span.SequenceEqual(((TensorSlot)sb).Tensor.Span), $"{name} differs after resuming");
            else
                Assert.Equal(((CounterSlot)sa).Value, ((CounterSlot)sb).Value);
        }
    }
}
