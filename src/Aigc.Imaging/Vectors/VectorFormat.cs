namespace Aigc.Imaging.Vectors;

/// <summary>The vector files a blueprint exports to.</summary>
public enum VectorFormat
{
    Svg,
    Dxf,
}

public static class VectorFormats
{
    /// <summary>"svg" or "dxf" (any case) to a format; anything else is null.</summary>
    public static VectorFormat? Parse(string? name) => name?.ToLowerInvariant() switch
    {
        "svg" => VectorFormat.Svg,
        "dxf" => VectorFormat.Dxf,
        _ => null,
    };

    public static string ContentType(this VectorFormat format) =>
        format == VectorFormat.Svg ? "image/svg+xml" : "image/vnd.dxf";

    public static string Extension(this VectorFormat format) => format == VectorFormat.Svg ? ".svg" : ".dxf";
}
