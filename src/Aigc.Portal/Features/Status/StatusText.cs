namespace Aigc.Portal.Features.Status;

/// <summary>Texts of Admin › Status (StatusText.resx, StatusText.zh-Hans.resx).</summary>
public sealed class StatusText;
