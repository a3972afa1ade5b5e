namespace Aigc.Platform.Models;

/// <summary>
/// A model version folder or file that cannot be used; the message says why and names the file. <see cref="File"/>
/// names the part at fault (one of <see cref="ModelFiles"/>' file names, or "version") where it is known.
/// </summary>
public sealed class ModelRejectedException(string message, Exception? inner = null, string? file = null) : Exception(message, inner)
{
    public string? File { get; } = file;
}
