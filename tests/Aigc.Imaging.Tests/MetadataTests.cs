using Aigc.Imaging.Metadata;

namespace Aigc.Imaging.Tests;

public class MetadataTests
{
    private static byte[] Png()
    {
        using var image = Samples.Solid(16, 16, 10, 20, 30);
        return image.EncodePng();
    }

    [Fact]
    public void Metadata_round_trips_through_an_itxt_chunk()
    {
        var metadata = Samples.Metadata();
        var png = metadata.WriteTo(Png());
        var read = BlueprintMetadata.Read(png);
        Assert.NotNull(read);
        Assert.Equal(metadata.ModelName, read.ModelName);
        Assert.Equal(metadata.ModelVersion, read.ModelVersion);
        Assert.Equal(metadata.WeightsSha256, read.WeightsSha256);
        Assert.Equal(metadata.Conditions, read.Conditions);
        Assert.Equal("Stahl ü", read.Conditions["material"]);
        Assert.Equal(metadata.Seed, read.Seed);
        Assert.Equal(metadata.EngineVersion, read.EngineVersion);
        Assert.Equal(metadata.CreatedUtc, read.CreatedUtc);
        Assert.Equal(2, read.Schema);
        Assert.Null(read.Recipe);
    }

    [Fact]
    public void The_chunk_is_an_itxt_named_aigc_after_ihdr_and_the_png_still_decodes()
    {
        var png = Samples.Metadata().WriteTo(Png());
        Assert.Equal("iTXt", System.Text.Encoding.ASCII.GetString(png, 37, 4));
        Assert.Equal("aigc\0", System.Text.Encoding.ASCII.GetString(png, 41, 5));
        using var image = VipsImage.Decode(png);
        Assert.Equal(16, image.Width);
    }

    [Fact]
    public void Json_property_names_are_the_stable_contract()
    {
        var json = Samples.Metadata().ToJson();
        foreach (var name in new[] { "\"model\":", "\"version\":", "\"weightsSha256\":", "\"conditions\":", "\"seed\":1234", "\"preset\":", "\"engine\":", "\"createdUtc\":", "\"schema\":2" })
            Assert.Contains(name, json);
        Assert.DoesNotContain("DrawingNumber", json);
        Assert.DoesNotContain("recipe", json);
    }

    [Fact]
    public void Recipes_round_trip_and_change_the_drawing_number()
    {
        var plain = Samples.Metadata();
        var vary = plain with { Recipe = BlueprintRecipe.Vary(77, 0.25) };
        var frame = plain with { Recipe = BlueprintRecipe.Interpolate(new Dictionary<string, string> { ["part"] = "flange" }, 9, 8, 3) };
        var readVary = BlueprintMetadata.Read(vary.WriteTo(Png()))!;
        var readFrame = BlueprintMetadata.Read(frame.WriteTo(Png()))!;
        Assert.Equal(vary.Recipe!.Key, readVary.Recipe!.Key);
        Assert.Equal(("vary", 77L, 0.25), (readVary.Recipe!.Kind, readVary.Recipe.VariationSeed!.Value, readVary.Recipe.Strength!.Value));
        Assert.Equal(("interpolate", 9L, 8, 3, "flange"), (readFrame.Recipe!.Kind, readFrame.Recipe.EndSeed!.Value, readFrame.Recipe.Frames!.Value, readFrame.Recipe.Frame!.Value, readFrame.Recipe.EndConditions!["part"]));
        Assert.Contains("\"recipe\":{\"kind\":\"vary\",\"variationSeed\":77,\"strength\":0.25}", vary.ToJson());
        Assert.Equal(3, new[] { plain.DrawingNumber, vary.DrawingNumber, frame.DrawingNumber }.Distinct().Count());
    }

    [Fact]
    public void Schema_1_files_without_a_recipe_still_read()
    {
        const string old = "{\"model\":\"blueprints-64\",\"version\":\"v1\",\"weightsSha256\":\"ab\",\"conditions\":{\"part\":\"flange\"},\"seed\":5,\"preset\":\"blueprint\",\"engine\":\"Aigc.Neural 1.0\",\"createdUtc\":\"2026-11-01T00:00:00+00:00\",\"schema\":1}";
        var read = BlueprintMetadata.FromJson(old);
        Assert.Equal((1, 5L, "flange"), (read.Schema, read.Seed, read.Conditions["part"]));
        Assert.Null(read.Recipe);
    }

    [Fact]
    public void Writing_twice_keeps_one_chunk_with_the_latest_values()
    {
        var png = Samples.Metadata(1).WriteTo(Samples.Metadata(2).WriteTo(Png()));
        Assert.Equal(2 - 1, System.Text.Encoding.ASCII.GetString(png).Split("iTXtaigc").Length - 1);
        Assert.Equal(1, BlueprintMetadata.Read(png)!.Seed);
    }

    [Fact]
    public void Strip_removes_the_metadata_and_leaves_a_valid_png()
    {
        var png = Samples.Metadata().WriteTo(Png());
        var stripped = BlueprintMetadata.Strip(png);
        Assert.Null(BlueprintMetadata.Read(stripped));
        Assert.Equal(Png().Length, stripped.Length);
        using var image = VipsImage.Decode(stripped);
        Assert.Equal(16, image.Height);
    }

    [Fact]
    public void Plain_png_has_no_metadata_and_damaged_files_are_errors()
    {
        Assert.Null(BlueprintMetadata.Read(Png()));
        var png = Samples.Metadata().WriteTo(Png());
        png[50] ^= 0xFF; // inside the iTXt data: its CRC no longer matches
        Assert.Contains("bad CRC", Assert.Throws<InvalidDataException>(() => BlueprintMetadata.Read(png)).Message);
        Assert.Contains("Not a PNG", Assert.Throws<InvalidDataException>(() => BlueprintMetadata.Read("GIF89a"u8)).Message);
        Assert.Contains("past the end of the file", Assert.Throws<InvalidDataException>(() => BlueprintMetadata.Read(Png()[..20])).Message);
    }

    [Fact]
    public void Invalid_json_in_the_chunk_is_reported()
    {
        var png = Metadata.PngChunks.WithInternationalText(Png(), new Metadata.PngText("aigc", "{not json"));
        Assert.Contains("not valid JSON", Assert.Throws<InvalidDataException>(() => BlueprintMetadata.Read(png)).Message);
    }

    [Fact]
    public void Drawing_number_is_stable_and_depends_on_seed_and_conditions()
    {
        var a = Samples.Metadata();
        Assert.Matches("^AIGC-[0-9A-F]{8}$", a.DrawingNumber);
        Assert.Equal(a.DrawingNumber, Samples.Metadata().DrawingNumber);
        Assert.NotEqual(a.DrawingNumber, Samples.Metadata(99).DrawingNumber);
        Assert.NotEqual(a.DrawingNumber, (a with { Conditions = new Dictionary<string, string> { ["part"] = "hinge" } }).DrawingNumber);
    }
}
