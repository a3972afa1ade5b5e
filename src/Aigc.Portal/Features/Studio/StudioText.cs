namespace Aigc.Portal.Features.Studio;

/// <summary>The Studio's texts (StudioText.resx, StudioText.zh-Hans.resx).</summary>
public sealed class StudioText;
