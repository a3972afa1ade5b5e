namespace Aigc.Generation.Manifest;

/// <summary>
/// The validated conditions of a model, in manifest order. Categorical values become indices into their
/// embedding; numeric values in [min, max] are scaled to [−1, 1] before entering the networks.
/// </summary>
public sealed class ConditionSchema
{
    public ConditionSchema(IReadOnlyList<ConditionSpec> conditions)
    {
        if (conditions is null)
            throw new ManifestException("conditions must be a list (it may be empty).");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in conditions)
        {
            if (string.IsNullOrWhiteSpace(c.Name) || !seen.Add(c.Name))
                throw new ManifestException($"condition names must be non-empty and unique (\"{c.Name}\").");
            if (c.Kind == "categorical")
            {
                if (c.Values is not { Count: > 0 } || c.Values.Distinct(StringComparer.Ordinal).Count() != c.Values.Count)
                    throw new ManifestException($"categorical condition \"{c.Name}\" needs a non-empty list of distinct values.");
                if (c.EmbeddingDim < 1)
                    throw new ManifestException($"condition \"{c.Name}\": embeddingDim must be at least 1.");
            }
            else if (c.Kind == "numeric")
            {
                if (c.Min is not { } min || c.Max is not { } max || !(min < max) || !double.IsFinite(min) || !double.IsFinite(max))
                    throw new ManifestException($"numeric condition \"{c.Name}\" needs finite min < max.");
            }
            else
            {
                throw new ManifestException($"condition \"{c.Name}\": kind must be \"categorical\" or \"numeric\" (got \"{c.Kind}\").");
            }
        }

        Categorical = conditions.Where(c => c.IsCategorical).ToArray();
        Numeric = conditions.Where(c => !c.IsCategorical).ToArray();
    }

    public IReadOnlyList<ConditionSpec> Categorical { get; }

    public IReadOnlyList<ConditionSpec> Numeric { get; }

    public int EmbeddingWidth => Categorical.Sum(c => c.EmbeddingDim);

    /// <summary>Turns named condition values into network inputs; every condition must be given, and only those.</summary>
    public ConditionBatch Encode(IReadOnlyList<ConditionValues> items)
    {
        var batch = new ConditionBatch(this, items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            foreach (var name in item.Names)
                if (!Categorical.Any(c => c.Name == name) && !Numeric.Any(c => c.Name == name))
                    throw new ArgumentException($"Item {i}: unknown condition \"{name}\"; the model has {string.Join(", ", Categorical.Concat(Numeric).Select(c => c.Name))}.");
            for (var k = 0; k < Categorical.Count; k++)
            {
                var spec = Categorical[k];
                var value = item.Category(spec.Name) ?? throw new ArgumentException($"Item {i}: categorical condition \"{spec.Name}\" is missing.");
                var index = IndexOf(spec, value);
                if (index < 0)
                    throw new ArgumentException($"Item {i}: \"{value}\" is not a value of \"{spec.Name}\" ({string.Join(", ", spec.Values!)}).");
                batch.Indices[k][i] = index;
            }

            for (var k = 0; k < Numeric.Count; k++)
            {
                var spec = Numeric[k];
                var value = item.Number(spec.Name) ?? throw new ArgumentException($"Item {i}: numeric condition \"{spec.Name}\" is missing.");
                batch.SetNumeric(k, i, value);
            }
        }

        return batch;
    }

    private static int IndexOf(ConditionSpec spec, string value)
    {
        for (var i = 0; i < spec.Values!.Count; i++)
            if (spec.Values[i] == value)
                return i;
        return -1;
    }
}
