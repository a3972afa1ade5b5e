namespace Aigc.Portal.Components.Layout;

/// <summary>The shell's texts (LayoutText.resx, LayoutText.zh-Hans.resx).</summary>
public sealed class LayoutText;
