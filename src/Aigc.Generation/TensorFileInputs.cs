using Aigc.Generation.Manifest;
using Aigc.Neural;
using Aigc.Neural.Safetensors;

namespace Aigc.Generation;

/// <summary>
/// Network inputs stored in a safetensors file, as written by tools/fixtures: the main input ("z" [N, latentDim] for
/// the generator, "x" [N, C, H, W] for the discriminator), "labels.&lt;condition&gt;" (I64 [N]) per categorical
/// condition and "values.&lt;condition&gt;" (raw numbers, [N]) per numeric condition.
/// </summary>
public static class TensorFileInputs
{
    public static (Tensor Input, ConditionBatch Conditions) Read(IReadOnlyDictionary<string, SafetensorsEntry> file,
        ConditionSchema schema, string inputName)
    {
        if (!file.TryGetValue(inputName, out var main))
            throw new InvalidDataException($"input file has no tensor '{inputName}'.");
        var input = Tensor.FromArray(main.ToFloats(), main.Shape);
        if (input.Rank < 1)
            throw new InvalidDataException($"tensor '{inputName}' must have a batch dimension.");
        var n = input.Dim(0);
        var batch = new ConditionBatch(schema, n);
        for (var k = 0; k < schema.Categorical.Count; k++)
        {
            var labels = Entry(file, $"labels.{schema.Categorical[k].Name}", n).ToInt64();
            for (var i = 0; i < n; i++)
                batch.SetIndex(k, i, labels[i]);
        }

        for (var k = 0; k < schema.Numeric.Count; k++)
        {
            var values = Entry(file, $"values.{schema.Numeric[k].Name}", n).ToFloats();
            for (var i = 0; i < n; i++)
                batch.SetNumeric(k, i, values[i]);
        }

        return (input, batch);
    }

    private static SafetensorsEntry Entry(IReadOnlyDictionary<string, SafetensorsEntry> file, string name, int n)
    {
        if (!file.TryGetValue(name, out var e))
            throw new InvalidDataException($"input file has no tensor '{name}'.");
        if (e.ElementCount != n)
            throw new InvalidDataException($"tensor '{name}' has {e.ElementCount} values for a batch of {n}.");
        return e;
    }
}
