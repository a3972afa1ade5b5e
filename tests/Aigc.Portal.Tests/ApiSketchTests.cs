using System.Net;
using System.Text;
using Aigc.Generation.Datasets;
using Aigc.Imaging.Metadata;
using Aigc.Platform.Accounts;

namespace Aigc.Portal.Tests;

/// <summary>
/// POST /api/generations with a sketch recipe on a real server with the shipped v2 model and its encoder: a drawing
/// gives its closest image with the recovered conditions and the latent to vary; variants carry the sketch recipe
/// in their PNGs; a bad file or an empty sketch is a 400 naming the field.
/// </summary>
public sealed class ApiSketchTests(PortalHostFixture fixture) : IClassFixture<PortalHostFixture>
{
    private PortalHost Host => fixture.Host;

    private static string Drawing(string part)
    {
        // A designer's scan: dark lines on white paper, 100 units square.
        var svg = BlueprintSynthesizer.Svg(new BlueprintLabel(part, "front", "low"), 515_151, 0)
            .Replace("stroke=\"#fff\"", "stroke=\"#111\"", StringComparison.Ordinal);
        svg = svg.Insert(svg.IndexOf('>') + 1, "<rect width=\"100\" height=\"100\" fill=\"#fff\"/>");
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(svg));
    }

    [Fact]
    public async Task A_drawing_gives_its_closest_image_and_its_latent_gives_variants_that_carry_the_sketch_recipe()
    {
        await Host.CreateUserAsync("api-sketch@aigc.test", PortalRoles.Designer);
        using var client = Host.NewClient();
        await client.SignInOrFailAsync("api-sketch@aigc.test", TestUsers.Password);
        var token = await client.AntiforgeryTokenAsync();

        var closest = await (await client.SubmitAsync(new Dictionary<string, object?>
        {
            ["model"] = "blueprints-64", ["count"] = 1, ["sketch"] = new Dictionary<string, object> { ["image"] = Drawing("flange") },
        }, token)).JsonAsync(HttpStatusCode.Accepted);
        Assert.Equal("flange", closest.GetProperty("conditions").GetProperty("part").GetString());
        var latent = closest.GetProperty("sketchLatent").GetString()!;
        Assert.Equal(96 * 4, Convert.FromBase64String(latent).Length);
        var done = (await client.EventsAsync($"/api/generations/{closest.GetProperty("id").GetGuid()}/events"))[^1].Data;
        Assert.Equal("completed", done.GetProperty("status").GetString());

        var variants = await (await client.SubmitAsync(new Dictionary<string, object?>
        {
            ["model"] = "blueprints-64", ["count"] = 4, ["conditions"] = closest.GetProperty("conditions"),
            ["sketch"] = new Dictionary<string, object> { ["latent"] = latent, ["strength"] = 0.4, ["variationSeed"] = 900 },
        }, token)).JsonAsync(HttpStatusCode.Accepted);
        var finished = (await client.EventsAsync($"/api/generations/{variants.GetProperty("id").GetGuid()}/events"))[^1].Data;
        var images = finished.GetProperty("images").EnumerateArray().ToList();
        Assert.Equal(4, images.Count);
        var png = await (await client.GetAsync(images[3].GetProperty("url").GetString()!)).Content.ReadAsByteArrayAsync();
        var recipe = BlueprintMetadata.Read(png)!.Recipe!;
        Assert.Equal(("sketch", latent, 903L, 0.4), (recipe.Kind, recipe.Latent, recipe.VariationSeed!.Value, recipe.Strength!.Value));
    }

    [Fact]
    public async Task A_bad_file_or_an_empty_sketch_is_a_400_naming_the_field()
    {
        await Host.CreateUserAsync("api-sketch-bad@aigc.test", PortalRoles.Designer);
        using var client = Host.NewClient();
        await client.SignInOrFailAsync("api-sketch-bad@aigc.test", TestUsers.Password);
        var token = await client.AntiforgeryTokenAsync();

        async Task<string> RefusedAsync(object sketch, string field) =>
            (await (await client.SubmitAsync(new Dictionary<string, object?>
            {
                ["model"] = "blueprints-64", ["count"] = 1, ["sketch"] = sketch, ["conditions"] = ApiRequests.SpurGear,
            }, token)).ProblemAsync(HttpStatusCode.BadRequest)).FieldError(field);

        var script = Convert.ToBase64String("<svg xmlns=\"http://www.w3.org/2000/svg\"><script>x()</script></svg>"u8.ToArray());
        Assert.Contains("<script>", await RefusedAsync(new Dictionary<string, object> { ["image"] = script }, "sketch"));
        Assert.Contains("no lines", await RefusedAsync(new Dictionary<string, object> { ["image"] = Convert.ToBase64String(
            Encoding.UTF8.GetBytes("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"50\" height=\"50\"><rect width=\"50\" height=\"50\" fill=\"#fff\"/></svg>")) },
            "sketch"));
        Assert.Contains("base64", await RefusedAsync(new Dictionary<string, object> { ["image"] = "%%%" }, "sketch.image"));
        Assert.Contains("needs image", await RefusedAsync(new Dictionary<string, object>(), "sketch"));
        Assert.Contains("the model takes 96", await RefusedAsync(new Dictionary<string, object> { ["latent"] = "AAAA" }, "latent"));
    }
}
