namespace Aigc.Imaging.Pipeline;

/// <summary>
/// A learned enlarger for grey line drawings (white lines on black), used by the upscale step's "learned" kernel.
/// Aigc.Platform supplies the shipped upscalers; without one, or without one for the sizes asked, the step falls
/// back to Lanczos 3.
/// </summary>
public interface ILineUpscaler
{
    /// <summary>The enlarged size² grey pixels, or null when no upscaler takes <paramref name="size"/> to <paramref name="outputSize"/>.</summary>
    byte[]? Upscale(ReadOnlySpan<byte> grey, int size, int outputSize);
}
