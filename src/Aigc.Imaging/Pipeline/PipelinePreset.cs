namespace Aigc.Imaging.Pipeline;

/// <summary>A named, validated, ordered list of steps. Immutable; shared by all runs.</summary>
public sealed class PipelinePreset(string name, IReadOnlyList<IPipelineStep> steps) : IDisposable
{
    public string Name { get; } = name;
    public IReadOnlyList<IPipelineStep> Steps { get; } = steps;

    /// <summary>One line per step, e.g. "upscale → sharpen → encode".</summary>
    public string Describe() => string.Join(" → ", Steps.Select(s => s.Name));

    public void Dispose()
    {
        foreach (var step in Steps.OfType<IDisposable>()) step.Dispose();
    }
}
