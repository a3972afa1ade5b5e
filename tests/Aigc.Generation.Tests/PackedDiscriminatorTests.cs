using Aigc.Generation.Datasets;
using Aigc.Generation.Manifest;
using Aigc.Generation.Networks;
using Aigc.Generation.Tests.Datasets;
using Aigc.Generation.Training;
using Aigc.Neural;
using Aigc.Neural.Backend;
using Aigc.Neural.Safetensors;

namespace Aigc.Generation.Tests;

/// <summary>
/// PacGAN packing: a discriminator packing p one-channel images must be exactly the PyTorch-checked unpacked
/// discriminator of p channels fed the same memory, and packs must share a condition.
/// </summary>
public class PackedDiscriminatorTests
{
    [Fact]
    public void A_pack_of_two_images_is_judged_as_one_two_channel_image_forward_and_backward()
    {
        var tiny = Support.TinyManifest() with { Channels = 1 };
        var packedManifest = tiny with { Discriminator = tiny.Discriminator with { Pack = 2 } };
        var wideManifest = tiny with { Channels = 2 };
        var backend = new CpuBackend(Support.Engine("openblas", 2));
        var packed = new DiscriminatorNetwork(packedManifest, backend, new RandomSource(3));
        var wide = new DiscriminatorNetwork(wideManifest, backend, new RandomSource(9));
        StateDictFile.Load(wide, StateDictFile.ToEntries(packed).ToDictionary(e => e.Name));
        Assert.Equal([8, 2, 4, 4], packed.StateDict().First(e => e.Name == "net.0.weight_orig").Slot.Shape.ToArray());

        var random = new RandomSource(5);
        var x = new Tensor(6, 1, 16, 16);
        foreach (ref var v in x.Span)
            v = (float)random.NextUniform(-1, 1);
        var conditions = new ConditionBatch(tiny.Schema, 6);
        var packConditions = new ConditionBatch(tiny.Schema, 3);
        for (var j = 0; j < 3; j++)
            for (var m = 0; m < 2; m++)
            {
                conditions.SetIndex(0, 2 * j + m, j);
                conditions.SetIndex(1, 2 * j + m, j % 2);
                conditions.SetNumeric(0, 2 * j + m, 3 * j);
            }

        for (var j = 0; j < 3; j++)
        {
            packConditions.SetIndex(0, j, j);
            packConditions.SetIndex(1, j, j % 2);
            packConditions.SetNumeric(0, j, 3 * j);
        }

        packed.Train();
        wide.Train();
        var logits = packed.Forward(x, conditions).Clone();
        var wideX = Tensor.FromArray(x.Span.ToArray(), 3, 2, 16, 16);
        var wideLogits = wide.Forward(wideX, packConditions);
        Assert.Equal([3, 1], logits.Shape.ToArray());
        Assert.Equal(wideLogits.Span.ToArray(), logits.Span.ToArray());

        var grad = Tensor.FromArray([0.5f, -1f, 2f], 3, 1);
        packed.ZeroGrad();
        wide.ZeroGrad();
        var dx = packed.Backward(grad)!;
        var wideDx = wide.Backward(grad)!;
        Assert.Equal([6, 1, 16, 16], dx.Shape.ToArray());
        Assert.Equal(wideDx.Span.ToArray(), dx.Span.ToArray());
        var wideGrads = wide.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter.Grad.Span.ToArray());
        Assert.All(packed.NamedParameters(), p => Assert.Equal(wideGrads[p.Name], p.Parameter.Grad.Span.ToArray()));
    }

    [Fact]
    public void Packs_whose_members_differ_in_a_condition_or_that_do_not_divide_the_batch_are_refused()
    {
        var tiny = Support.TinyManifest() with { Channels = 1 };
        var manifest = tiny with { Discriminator = tiny.Discriminator with { Pack = 2 } };
        var d = new DiscriminatorNetwork(manifest, new CpuBackend(Support.Engine("managed")), new RandomSource(1));
        var conditions = new ConditionBatch(manifest.Schema, 4);
        conditions.SetIndex(0, 3, 1);
        var error = Assert.Throws<ArgumentException>(() => d.Forward(new Tensor(4, 1, 16, 16), conditions));
        Assert.Contains("pack 1: items 2 and 3 have different conditions", error.Message);
        conditions.SetIndex(0, 3, 0);
        conditions.SetNumeric(0, 3, 7);
        Assert.Contains("items 2 and 3", Assert.Throws<ArgumentException>(() => d.Forward(new Tensor(4, 1, 16, 16), conditions)).Message);
        var odd = Assert.Throws<ArgumentException>(() => d.Forward(new Tensor(3, 1, 16, 16), new ConditionBatch(manifest.Schema, 3)));
        Assert.Contains("packs 2 images at a time; a batch of 3 does not divide", odd.Message);
    }

    [Fact]
    public void Batches_for_a_packed_discriminator_hold_distinct_images_of_one_condition_per_pack()
    {
        using var temp = new TempFolder();
        BlueprintSynthesizer.Write(temp["data"], perClass: 27, size: 16, seed: 2);
        var data = BlueprintDataset.Load(temp["data"]);
        var groups = ConditionGroups.Of(data, pack: 3);
        var batch = new int[60];
        var seen = new HashSet<int>();
        for (ulong step = 0; step < 20; step++)
        {
            groups.DrawBatch(new RandomSource(step), batch);
            for (var start = 0; start < batch.Length; start += 3)
            {
                var pack = batch.AsSpan(start, 3).ToArray();
                Assert.Equal(3, pack.Distinct().Count());
                Assert.Single(pack.Select(i => data.Entries[i].Label).Distinct());
            }

            seen.UnionWith(batch);
        }

        Assert.True(seen.Count > data.Count / 2, $"the batches reached only {seen.Count} of {data.Count} images");
        var again = new int[60];
        groups.DrawBatch(new RandomSource(19), again);
        Assert.Equal(batch, again);
    }

    [Fact]
    public void Training_with_packing_refuses_data_with_too_few_images_of_a_condition_and_names_them()
    {
        using var temp = new TempFolder();
        BlueprintSynthesizer.Write(temp["data"], perClass: 9, size: 16, seed: 2);
        var data = BlueprintDataset.Load(temp["data"]);
        Assert.NotNull(ConditionGroups.Of(data, pack: 1));
        var error = Assert.Throws<ArgumentException>(() => ConditionGroups.Of(data, pack: 2));
        Assert.Contains("spur_gear/front/low (1)", error.Message);
    }
}
