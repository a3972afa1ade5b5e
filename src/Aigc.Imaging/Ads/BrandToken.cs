namespace Aigc.Imaging.Ads;

/// <summary>The colour names templates use; a brand kit gives them values.</summary>
public enum BrandToken
{
    Primary,
    Secondary,
    Background,
    Ink,
    White,
}
