namespace Aigc.Portal.Features.Gallery;

/// <summary>The gallery's texts (GalleryText.resx, GalleryText.zh-Hans.resx).</summary>
public sealed class GalleryText;
