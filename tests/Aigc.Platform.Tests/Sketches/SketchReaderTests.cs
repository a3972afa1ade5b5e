using System.Text;
using Aigc.Generation.Datasets;
using Aigc.Platform.Models;
using Aigc.Platform.Queue;
using Aigc.Platform.Sketches;
using Aigc.Testing;

namespace Aigc.Platform.Tests.Sketches;

/// <summary>
/// Reading a drawing with the shipped v2 model and its encoder: the part comes back; a version without an encoder
/// and a bad file are refused naming the field; who may not generate may not read sketches either.
/// </summary>
public sealed class SketchReaderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_drawing_read_with_the_shipped_encoder_gives_its_part_and_a_usable_latent()
    {
        await using var host = await ServiceHost.StartAsync(_folder.Sub("data"));
        var version = await host.RegisterAsync(Path.Combine(RepositoryFolders.Models, "blueprints", "v2"), "v2");
        var reader = host.Get<SketchReader>();
        Assert.True(reader.Offers(version.WeightsSha256));

        // Drawn at 512 px, dark on light, as a designer's scan would be: the reader inverts, crops and reduces it.
        var label = new BlueprintLabel("hex_nut", "front", "low");
        var svg = BlueprintSynthesizer.Svg(label, 777_001, 0).Replace("stroke=\"#fff\"", "stroke=\"#222\"", StringComparison.Ordinal);
        svg = svg.Insert(svg.IndexOf('>') + 1, "<rect width=\"100\" height=\"100\" fill=\"#fafafa\"/>");
        var reading = await reader.ReadAsync("blueprints-64@v2", Encoding.UTF8.GetBytes(svg), ServiceHost.Alice);
        Assert.Equal("hex_nut", reading.Conditions["part"]);
        Assert.InRange(reading.Confidence["part"], 0.5, 1);
        Assert.Equal(96, SketchLatents.Read(reading.Latent).Length);
        Assert.InRange(reading.LineIoU, 0.2, 1);

        var job = await host.EnqueueAsync(new GenerationRequest(reading.ModelSha256, reading.Conditions, 1,
            Recipe: GenerationRecipe.Sketch(reading.Latent)), ServiceHost.Alice);
        Assert.Equal(RecipeKindSketch, job.Recipe);
    }

    private const Data.RecipeKind RecipeKindSketch = Data.RecipeKind.Sketch;

    [Fact]
    public async Task A_version_without_an_encoder_a_bad_file_and_a_viewer_are_refused()
    {
        await using var host = await ServiceHost.StartAsync(_folder.Sub("data"));
        var plain = await host.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Path, 3), "v1");
        var reader = host.Get<SketchReader>();
        Assert.False(reader.Offers(plain.WeightsSha256));
        var png = File.ReadAllBytes(Path.Combine(RepositoryFolders.Models, "blueprints", "v2", "samples.png"));

        var noEncoder = await Assert.ThrowsAsync<GenerationRefusedException>(() => reader.ReadAsync("blueprints-64@v1", png, ServiceHost.Alice));
        Assert.Equal("model", noEncoder.Field);
        Assert.Contains("no sketch encoder", noEncoder.Message);

        await host.RegisterAsync(Path.Combine(RepositoryFolders.Models, "blueprints", "v2"), "v2");
        var bad = await Assert.ThrowsAsync<GenerationRefusedException>(() =>
            reader.ReadAsync("blueprints-64@v2", Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\"><script/></svg>"), ServiceHost.Alice));
        Assert.Equal(("sketch", RefusalKind.Invalid), (bad.Field, bad.Kind));
        Assert.Contains("<script>", bad.Message);

        var viewer = new Requester("vera", [Accounts.PortalRoles.Viewer]);
        var forbidden = await Assert.ThrowsAsync<GenerationRefusedException>(() => reader.ReadAsync("blueprints-64@v2", png, viewer));
        Assert.Equal(RefusalKind.Forbidden, forbidden.Kind);
    }
}
