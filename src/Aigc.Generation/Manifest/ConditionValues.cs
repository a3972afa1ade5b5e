namespace Aigc.Generation.Manifest;

/// <summary>The condition values of one image, by name: a category's value or a number.</summary>
public sealed class ConditionValues
{
    private readonly Dictionary<string, string> _categories = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double> _numbers = new(StringComparer.Ordinal);

    public ConditionValues Set(string name, string value)
    {
        _numbers.Remove(name);
        _categories[name] = value;
        return this;
    }

    public ConditionValues Set(string name, double value)
    {
        _categories.Remove(name);
        _numbers[name] = value;
        return this;
    }

    public IEnumerable<string> Names => _categories.Keys.Concat(_numbers.Keys);

    public string? Category(string name) => _categories.GetValueOrDefault(name);

    public double? Number(string name) => _numbers.TryGetValue(name, out var v) ? v : null;
}
