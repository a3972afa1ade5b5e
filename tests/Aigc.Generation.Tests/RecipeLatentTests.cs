using Aigc.Generation.Manifest;

namespace Aigc.Generation.Tests;

public class RecipeLatentTests
{
    private static readonly ConditionValues Gear = new ConditionValues().Set("part", "gear").Set("view", "iso").Set("complexity", 3.0);
    private static readonly ConditionValues Bracket = new ConditionValues().Set("part", "bracket").Set("view", "front").Set("complexity", 9.0);

    private static Generator Tiny() => Generator.Create(Support.TinyManifest(), Support.Engine("managed", 1), initSeed: 5);

    [Fact]
    public void Vary_at_strength_zero_is_the_base_image_bit_for_bit()
    {
        var generator = Tiny();
        var plain = generator.Generate([new GenerationItem(Gear, 40)]);
        var varied = generator.Generate([new GenerationItem(Gear, 40) { Variation = new LatentVariation(900, 0, 0) }]);
        Assert.True(plain[0].AsSpan().SequenceEqual(varied[0]));
        var moved = generator.Generate([new GenerationItem(Gear, 40) { Variation = new LatentVariation(900, 0, 0.3) }]);
        Assert.False(plain[0].AsSpan().SequenceEqual(moved[0]));
    }

    [Fact]
    public void Interpolation_endpoints_are_the_two_source_images_bit_for_bit_and_frames_between_differ()
    {
        var generator = Tiny();
        var sources = generator.Generate([new GenerationItem(Gear, 11), new GenerationItem(Bracket, 22)]);
        var frames = generator.Generate(Enumerable.Range(0, 4)
            .Select(i => new GenerationItem(Gear, 11) { Toward = new InterpolationEndpoint(Bracket, 22, 0, i / 3.0) }).ToList());
        Assert.True(sources[0].AsSpan().SequenceEqual(frames[0]), "frame 0 differs from image A");
        Assert.True(sources[1].AsSpan().SequenceEqual(frames[3]), "the last frame differs from image B");
        Assert.False(frames[1].AsSpan().SequenceEqual(frames[0]));
        Assert.False(frames[1].AsSpan().SequenceEqual(frames[2]));
        // A plain item sharing the batch with blended ones renders as it would alone.
        var mixed = generator.Generate([new GenerationItem(Bracket, 22), new GenerationItem(Gear, 11) { Toward = new InterpolationEndpoint(Bracket, 22, 0, 0.5) }]);
        Assert.True(sources[1].AsSpan().SequenceEqual(mixed[0]));
        Assert.True(frames.Length == 4 && mixed[1].Length == sources[0].Length);
    }

    [Fact]
    public void Vary_keeps_the_latent_standard_normal_at_every_strength()
    {
        foreach (var strength in new[] { 0.05, 0.5, 0.95 })
        {
            var values = new List<float>();
            var latent = new float[100];
            var other = new float[100];
            for (var i = 0; i < 200; i++)
            {
                LatentSampler.Fill(1, i, latent);
                LatentSampler.Fill(2, i, other);
                LatentSampler.Vary(latent, other, strength);
                values.AddRange(latent);
            }

            var mean = values.Average();
            var variance = values.Select(v => (v - mean) * (v - mean)).Average();
            Assert.InRange(mean, -0.03, 0.03);
            Assert.InRange(variance, 0.95, 1.05);
        }
    }

    [Fact]
    public void Slerp_halfway_keeps_the_norm_where_a_straight_line_would_shrink_it()
    {
        var a = new float[512];
        var b = new float[512];
        LatentSampler.Fill(3, 0, a);
        LatentSampler.Fill(4, 0, b);
        var normA = Norm(a);
        var normB = Norm(b);
        var mid = a.ToArray();
        LatentSampler.Slerp(mid, b, 0.5);
        var line = a.Zip(b, (x, y) => 0.5f * (x + y)).ToArray();
        Assert.InRange(Norm(mid), 0.95 * Math.Min(normA, normB), 1.05 * Math.Max(normA, normB));
        Assert.True(Norm(line) < 0.8 * Math.Min(normA, normB));
    }

    [Fact]
    public void Out_of_range_strength_and_position_are_refused_with_their_names()
    {
        var latent = new float[4];
        Assert.Contains("strength", Assert.Throws<ArgumentOutOfRangeException>(() => LatentSampler.Vary(latent, new float[4], 1.5)).Message);
        Assert.Contains("position", Assert.Throws<ArgumentOutOfRangeException>(() => LatentSampler.Slerp(latent, new float[4], -0.1)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Tiny().Generate([new GenerationItem(Gear, 1) { Toward = new InterpolationEndpoint(Bracket, 2, 0, 2) }]));
    }

    private static double Norm(float[] v) => Math.Sqrt(v.Sum(x => (double)x * x));
}
