namespace Aigc.Platform.Gallery;

/// <summary>A curation request that cannot be done; <see cref="NotFound"/> also covers blueprints the user may not see.</summary>
public sealed class GalleryRefusedException(string message, bool notFound = false) : Exception(message)
{
    public bool NotFound { get; } = notFound;
}
