using Aigc.Platform.Refusals;

namespace Aigc.Platform.Gallery;

/// <summary>A curation request that cannot be done; <see cref="NotFound"/> also covers blueprints the user may not see.
/// <see cref="Refusal"/> says why, in words the web translates.</summary>
public sealed class GalleryRefusedException(Refusal refusal, bool notFound = false) : Exception(refusal.English)
{
    public Refusal Refusal { get; } = refusal;

    public bool NotFound { get; } = notFound;
}
