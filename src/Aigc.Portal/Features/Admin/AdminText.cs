namespace Aigc.Portal.Features.Admin;

/// <summary>The admin pages' texts (AdminText.resx, AdminText.zh-Hans.resx).</summary>
public sealed class AdminText;
