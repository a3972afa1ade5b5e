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

    /// <summary>Set by <see cref="BlendToward"/>: per categorical condition, the other end's value index of each item.</summary>
    public int[][]? TowardIndices { get; private set; }

    /// <summary>Set by <see cref="BlendToward"/>: each item's position between its own conditions (0) and the other end's (1).</summary>
    public double[]? TowardT { get; private set; }

    /// <summary>
    /// Moves each item's conditions the fraction t[n] toward <paramref name="other"/>'s: numeric values are mixed here,
    /// categorical embeddings by the generator ((1−t)·E[own] + t·E[other]). t = 0 leaves an item exactly as it was.
    /// </summary>
    public void BlendToward(ConditionBatch other, double[] t)
    {
        if (other.Count != Count || t.Length != Count || !ReferenceEquals(other.Schema, _schema))
            throw new ArgumentException("Both ends of a blend need the same schema and item count.", nameof(other));
        if (t.Any(x => !(x >= 0 && x <= 1)))
            throw new ArgumentOutOfRangeException(nameof(t), "Blend positions must be in [0, 1].");
        var width = _schema.Numeric.Count;
        for (var n = 0; n < Count; n++)
            for (var k = 0; k < width; k++)
                Scaled[n * width + k] = (float)((1 - t[n]) * Scaled[n * width + k] + t[n] * other.Scaled[n * width + k]);
        TowardIndices = other.Indices;
        TowardT = t;
    }

    /// <summary>Items start..start+count as a batch of their own, blend included.</summary>
    public ConditionBatch Slice(int start, int count)
    {
        if (start == 0 && count == Count)
            return this;
        var slice = new ConditionBatch(_schema, count);
        for (var k = 0; k < Indices.Length; k++)
            Array.Copy(Indices[k], start, slice.Indices[k], 0, count);
        var width = _schema.Numeric.Count;
        Array.Copy(Scaled, start * width, slice.Scaled, 0, count * width);
        if (TowardIndices is not null)
        {
            slice.TowardIndices = TowardIndices.Select(row => row.AsSpan(start, count).ToArray()).ToArray();
            slice.TowardT = TowardT!.AsSpan(start, count).ToArray();
        }

        return slice;
    }

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
