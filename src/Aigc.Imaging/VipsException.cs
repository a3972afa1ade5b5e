namespace Aigc.Imaging;

/// <summary>A libvips operation failed. <see cref="Operation"/> names it; the message carries libvips' own explanation.</summary>
public sealed class VipsException(string operation, string message) : Exception($"libvips {operation}: {message}")
{
    public string Operation { get; } = operation;
}
