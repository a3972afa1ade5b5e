namespace Aigc.Portal.Features.Home;

/// <summary>The home page's texts (HomeText.resx, HomeText.zh-Hans.resx).</summary>
public sealed class HomeText;
