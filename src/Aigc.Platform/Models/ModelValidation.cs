using Aigc.Generation;
using Aigc.Generation.Inference;
using Aigc.Generation.Manifest;

namespace Aigc.Platform.Models;

/// <summary>Loads weights strictly against a manifest and runs one smoke generation; throws <see cref="ModelRejectedException"/> with the reason.</summary>
public static class ModelValidation
{
    public static async Task<Generator> LoadAndCheckAsync(CganManifest manifest, string weightsPath, IInferenceDevice device, CancellationToken cancellationToken = default)
    {
        var generator = device.CreateGenerator(manifest);
        try
        {
            await Task.Run(() => generator.LoadWeights(weightsPath), cancellationToken);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or ManifestException)
        {
            throw new ModelRejectedException($"{Path.GetFileName(weightsPath)} does not fit manifest \"{manifest.Name}\": {e.Message}", e, ModelFiles.WeightsFileName);
        }

        var image = (await device.GenerateAsync(generator, [new GenerationItem(SmokeConditions(manifest.Schema), 1)], cancellationToken))[0];
        if (image.Length != generator.ImageLength || !image.All(float.IsFinite))
            throw new ModelRejectedException($"The smoke generation of \"{manifest.Name}\" gave non-finite pixels: the weights are damaged.", file: ModelFiles.WeightsFileName);
        return generator;
    }

    /// <summary>The first value of each categorical condition and the middle of each numeric range.</summary>
    public static ConditionValues SmokeConditions(ConditionSchema schema)
    {
        var values = new ConditionValues();
        foreach (var c in schema.Categorical)
            values.Set(c.Name, c.Values![0]);
        foreach (var c in schema.Numeric)
            values.Set(c.Name, (c.Min!.Value + c.Max!.Value) / 2);
        return values;
    }
}
