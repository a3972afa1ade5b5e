namespace Aigc.Imaging.Pipeline;

/// <summary>One or more presets are invalid. Each error names the preset, the step and the parameter.</summary>
public sealed class PresetValidationException(IReadOnlyList<string> errors)
    : Exception("Invalid pipeline presets:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)))
{
    public IReadOnlyList<string> Errors { get; } = errors;
}
