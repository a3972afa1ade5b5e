using Aigc.Generation.Manifest;
using Aigc.Generation.Networks;
using Aigc.Neural;
using Aigc.Neural.Backend;

namespace Aigc.Generation.Tests;

public class ManifestTests
{
    [Fact]
    public void Reference_manifest_builds_the_issue_networks_with_pytorch_names()
    {
        var manifest = Support.ReferenceManifest();
        var backend = new CpuBackend(Support.Engine("managed"));
        var g = new GeneratorNetwork(manifest, backend, new RandomSource(1));
        var d = new DiscriminatorNetwork(manifest, backend, new RandomSource(2));
        Assert.Equal(116, g.InputChannels);
        Assert.Equal(256 * 4 * 4, d.Features);
        var gState = g.StateDict().ToDictionary(e => e.Name, e => e.Slot.Shape);
        Assert.Equal([16, 16], gState["embeddings.class.weight"]);
        Assert.Equal([116, 256, 4, 4], gState["net.0.weight"]);
        Assert.Equal([], gState["net.1.num_batches_tracked"]);
        Assert.Equal([32, 3, 4, 4], gState["net.12.weight"]);
        Assert.Equal([3], gState["net.12.bias"]);
        Assert.DoesNotContain("net.0.bias", gState.Keys);
        var dState = d.StateDict().ToDictionary(e => e.Name, e => e.Slot.Shape);
        Assert.Equal([32, 3, 4, 4], dState["net.0.weight_orig"]);
        Assert.Equal([32], dState["net.0.weight_u"]);
        Assert.Equal([48], dState["net.0.weight_v"]);
        Assert.Equal([1, 4096], dState["head.weight_orig"]);
        Assert.Equal([16, 4096], dState["projections.class.weight"]);
        // Parameter counts as PyTorch reports them for the same manifest (cgan_reference.py).
        Assert.Equal(1_166_019, g.Parameters().Sum(p => p.Value.Length));
        Assert.Equal(759_777, d.Parameters().Sum(p => p.Value.Length));
    }

    [Theory]
    [InlineData("""{"name":"x","latentDim":0,"imageSize":4,"conditions":[],"generator":{"layers":[{"type":"tanh"}]},"discriminator":{"layers":[{"type":"flatten"}]}}""", "latentDim must be at least 1")]
    [InlineData("""{"name":"x","latentDim":4,"imageSize":4,"conditions":[],"generator":{"layers":[{"type":"conv3d"}]},"discriminator":{"layers":[{"type":"flatten"}]}}""", "generator.layers[0].type \"conv3d\" is unknown")]
    [InlineData("""{"name":"x","latentDim":4,"imageSize":4,"conditions":[],"generator":{"layers":[{"type":"conv2d"}]},"discriminator":{"layers":[{"type":"flatten"}]}}""", "generator.layers[0] (conv2d) needs \"out\"")]
    [InlineData("""{"name":"x","latentDim":4,"imageSize":4,"conditions":[{"name":"a","kind":"categorical","values":[]}],"generator":{"layers":[{"type":"tanh"}]},"discriminator":{"layers":[{"type":"flatten"}]}}""", "\"a\" needs a non-empty list")]
    [InlineData("""{"name":"x","latentDim":4,"imageSize":4,"conditions":[{"name":"a","kind":"numeric","min":2,"max":1}],"generator":{"layers":[{"type":"tanh"}]},"discriminator":{"layers":[{"type":"flatten"}]}}""", "\"a\" needs finite min < max")]
    [InlineData("""{"name":"x","latentDim":4,"imageSize":4,"conditions":[{"name":"a","kind":"fuzzy"}],"generator":{"layers":[{"type":"tanh"}]},"discriminator":{"layers":[{"type":"flatten"}]}}""", "kind must be")]
    [InlineData("""{"name":"x","latentDim":4,"imageSize":4,"conditions":[],"generator":{"layers":[{"type":"tanh"}]},"discriminator":{"layers":[{"type":"flatten"}]},"extra":1}""", "invalid manifest JSON")]
    [InlineData("""{"name":"x","latentDim":4,"imageSize":4,"conditions":[],"generator":{"layers":[{"type":"tanh"}]},"discriminator":{"pack":9,"layers":[{"type":"flatten"}]}}""", "discriminator.pack must be 1 to 8 (got 9)")]
    [InlineData("""{"name":"x","latentDim":4,"imageSize":4,"conditions":[],"generator":{"pack":2,"layers":[{"type":"tanh"}]},"discriminator":{"layers":[{"type":"flatten"}]}}""", "generator.pack: packing is a discriminator setting")]
    [InlineData("""{"name":"x",""", "invalid manifest JSON")]
    public void Bad_manifests_are_rejected_with_the_field_named(string json, string message)
    {
        var e = Assert.Throws<ManifestException>(() => CganManifest.Parse(json));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void A_generator_that_does_not_produce_the_image_size_is_rejected()
    {
        var manifest = CganManifest.Parse("""
            {"name":"x","latentDim":4,"imageSize":8,"conditions":[],
             "generator":{"layers":[{"type":"convTranspose2d","out":3,"kernel":4}]},
             "discriminator":{"layers":[{"type":"flatten"}]}}
            """);
        var e = Assert.Throws<ManifestException>(() => new GeneratorNetwork(manifest, new CpuBackend(Support.Engine("managed")), new RandomSource(1)));
        Assert.Contains("generator produces [3, 4, 4] but the manifest's image is [3, 8, 8]", e.Message);
    }

    [Fact]
    public void Conditions_are_encoded_and_checked()
    {
        var schema = Support.TinyManifest().Schema;
        var ok = new ConditionValues().Set("part", "gear").Set("view", "iso").Set("complexity", 7.5);
        var batch = schema.Encode([ok]);
        Assert.Equal(1, batch.Indices[0][0]);
        Assert.Equal(1, batch.Indices[1][0]);
        Assert.Equal(0.5f, batch.Scaled[0]);
        Assert.Contains("\"wheel\" is not a value of \"part\"", Assert.Throws<ArgumentException>(() =>
            schema.Encode([new ConditionValues().Set("part", "wheel").Set("view", "iso").Set("complexity", 1)])).Message);
        Assert.Contains("\"view\" is missing", Assert.Throws<ArgumentException>(() =>
            schema.Encode([new ConditionValues().Set("part", "gear").Set("complexity", 1)])).Message);
        Assert.Contains("11 is outside [0, 10]", Assert.Throws<ArgumentOutOfRangeException>(() =>
            schema.Encode([new ConditionValues().Set("part", "gear").Set("view", "iso").Set("complexity", 11)])).Message);
        Assert.Contains("unknown condition \"colour\"", Assert.Throws<ArgumentException>(() =>
            schema.Encode([new ConditionValues().Set("part", "gear").Set("view", "iso").Set("complexity", 1).Set("colour", "red")])).Message);
    }
}
