namespace Aigc.Generation.Manifest;

/// <summary>A manifest that cannot describe a network; the message names the field.</summary>
public sealed class ManifestException(string message, Exception? inner = null) : Exception(message, inner);
