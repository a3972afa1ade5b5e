using System.Globalization;

namespace Aigc.Imaging.Pipeline;

/// <summary>
/// A step's parameters as configured (strings), parsed with range checks. Every problem is recorded with the
/// preset, step and parameter it concerns; parameters never read are reported as unknown.
/// </summary>
public sealed class StepParameters
{
    private readonly IReadOnlyDictionary<string, string> _values;
    private readonly HashSet<string> _read = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _errors;

    public StepParameters(string preset, int position, string step, IReadOnlyDictionary<string, string> values, List<string> errors)
    {
        Preset = preset;
        Position = position;
        Step = step;
        _values = new Dictionary<string, string>(values, StringComparer.OrdinalIgnoreCase);
        _errors = errors;
    }

    public string Preset { get; }
    public int Position { get; }
    public string Step { get; }

    public bool Has(string name) => _values.ContainsKey(name);

    public string? String(string name, string? fallback = null)
    {
        _read.Add(name);
        return _values.TryGetValue(name, out var value) ? value : fallback;
    }

    public int Int(string name, int fallback, int min, int max) => (int)(Number(name, min, max, integer: true) ?? fallback);

    public double Double(string name, double fallback, double min, double max) => Number(name, min, max, integer: false) ?? fallback;

    public double? OptionalDouble(string name, double min, double max) => Number(name, min, max, integer: false);

    public int? OptionalInt(string name, int min, int max) => (int?)Number(name, min, max, integer: true);

    public bool Bool(string name, bool fallback)
    {
        var text = String(name);
        if (text is null) return fallback;
        if (bool.TryParse(text, out var value)) return value;
        Error(name, $"must be true or false, got '{text}'");
        return fallback;
    }

    public string Choice(string name, string fallback, params string[] choices)
    {
        var text = String(name);
        if (text is null) return fallback;
        var match = choices.FirstOrDefault(c => string.Equals(c, text, StringComparison.OrdinalIgnoreCase));
        if (match is not null) return match;
        Error(name, $"must be one of {string.Join(", ", choices)}, got '{text}'");
        return fallback;
    }

    /// <summary>An #rrggbb colour as three 0–255 doubles.</summary>
    public double[] Colour(string name, string fallback)
    {
        var text = String(name) ?? fallback;
        if (text.Length == 7 && text[0] == '#' && int.TryParse(text.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var rgb))
            return [(rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF];
        Error(name, $"must be a colour like #0b4f9c, got '{text}'");
        return [0, 0, 0];
    }

    public void Error(string parameter, string problem) =>
        _errors.Add($"Preset '{Preset}', step {Position} ({Step}): parameter '{parameter}' {problem}.");

    public void StepError(string problem) =>
        _errors.Add($"Preset '{Preset}', step {Position} ({Step}): {problem}.");

    /// <summary>Reports every configured parameter the step did not read.</summary>
    public void RejectUnread()
    {
        foreach (var name in _values.Keys.Where(k => !_read.Contains(k)).Order(StringComparer.Ordinal))
            Error(name, "is not a parameter of this step");
    }

    private double? Number(string name, double min, double max, bool integer)
    {
        var text = String(name);
        if (text is null) return null;
        var kind = integer ? "an integer" : "a number";
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            || (integer && value != Math.Floor(value)) || value < min || value > max)
        {
            Error(name, $"must be {kind} from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}, got '{text}'");
            return null;
        }
        return value;
    }
}
