namespace Aigc.Imaging.Metadata;

/// <summary>Text for a PNG's UTF-8 iTXt chunk, written right after IHDR. JPEG and WebP files carry none.</summary>
public sealed record PngText(string Keyword, string Text);
