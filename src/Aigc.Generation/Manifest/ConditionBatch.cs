namespace Aigc.Generation.Manifest;

/// <summary>Encoded conditions of a batch: one index array per categorical condition and scaled numeric values.</summary>
public sealed class ConditionBatch
{
    private readonly ConditionSchema _schema;

    public ConditionBatch(ConditionSchema schema, int count)
    {
        _schema = schema;
        Count = count;
        Indices = schema.Categorical.Select(_ => new int[count]).ToArray();
        Scaled = new float[count * schema.Numeric.Count];
    }

    public int Count { get; }

    /// <summary>Indices[k][n]: value index of categorical condition k for item n.</summary>
    public int[][] Indices { get; }

    /// <summary>[N, numeric count] row-major, each value mapped from [min, max] to [−1, 1].</summary>
    public float[] Scaled { get; }

    public ConditionSchema Schema => _schema;

    /// <summary>Sets categorical condition <paramref name="k"/> of item <paramref name="n"/> by index, checking the range.</summary>
    public void SetIndex(int k, int n, long index)
    {
        var spec = _schema.Categorical[k];
        if (index < 0 || index >= spec.Values!.Count)
            throw new ArgumentOutOfRangeException(nameof(index), $"Condition \"{spec.Name}\" item {n}: index {index} is outside 0..{spec.Values!.Count - 1}.");
        Indices[k][n] = (int)index;
    }

    /// <summary>Sets numeric condition <paramref name="k"/> of item <paramref name="n"/> from its raw value.</summary>
    public void SetNumeric(int k, int n, double value)
    {
        var spec = _schema.Numeric[k];
        if (!double.IsFinite(value) || value < spec.Min || value > spec.Max)
            throw new ArgumentOutOfRangeException(nameof(value), $"Condition \"{spec.Name}\" item {n}: {value} is outside [{spec.Min}, {spec.Max}].");
        Scaled[n * _schema.Numeric.Count + k] = (float)(2 * (value - spec.Min!.Value) / (spec.Max!.Value - spec.Min.Value) - 1);
    }
}
