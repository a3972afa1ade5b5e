namespace Aigc.Portal.Features.Ads;

/// <summary>Marker for the Ads pages' texts (AdsText.resx, AdsText.zh-Hans.resx).</summary>
public sealed class AdsText;
