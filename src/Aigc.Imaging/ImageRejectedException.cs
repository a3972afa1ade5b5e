namespace Aigc.Imaging;

/// <summary>An image was refused: empty, too large, not PNG/JPEG/WebP, or damaged. The message is fit to show the user.</summary>
public sealed class ImageRejectedException(string message, Exception? inner = null) : Exception(message, inner);
