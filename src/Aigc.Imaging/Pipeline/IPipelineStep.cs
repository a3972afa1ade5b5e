namespace Aigc.Imaging.Pipeline;

/// <summary>One configured step of a pipeline. Steps are immutable and shared by concurrent runs.</summary>
public interface IPipelineStep
{
    string Name { get; }

    /// <summary>Returns the transformed image (owned by the caller), or null when the step leaves the image as it is.</summary>
    VipsImage? Apply(VipsImage image, PipelineRun run);
}
