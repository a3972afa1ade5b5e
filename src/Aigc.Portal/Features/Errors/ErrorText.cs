namespace Aigc.Portal.Features.Errors;

/// <summary>The error pages' texts (ErrorText.resx, ErrorText.zh-Hans.resx).</summary>
public sealed class ErrorText;
