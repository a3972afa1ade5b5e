namespace Aigc.Platform.Models;

/// <summary>A model version folder or file that cannot be used; the message says why and names the file.</summary>
public sealed class ModelRejectedException(string message, Exception? inner = null) : Exception(message, inner);
