using Aigc.Imaging;
using Aigc.Imaging.Metadata;

namespace Aigc.Cli.Commands;

/// <summary>A 64×64 drawing of a bracket, the size the generator produces, for previewing presets without a model.</summary>
internal static class PreviewSample
{
    private const string Svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">
        <rect width="64" height="64" fill="#e8e4dc"/>
        <path d="M10 46 L10 20 Q10 14 16 14 L40 14 L54 28 L54 46 Q54 50 50 50 L14 50 Q10 50 10 46 Z" fill="#7d8790" stroke="#3a4046" stroke-width="1.5"/>
        <circle cx="22" cy="32" r="6" fill="#e8e4dc" stroke="#3a4046" stroke-width="1.2"/>
        <circle cx="42" cy="36" r="4" fill="#e8e4dc" stroke="#3a4046" stroke-width="1.2"/>
        <rect x="30" y="20" width="8" height="6" fill="#5b646c"/>
        </svg>
        """;

    public static BlueprintMetadata Metadata { get; } = new(
        "sample", "0", new string('0', 64), new Dictionary<string, string> { ["part"] = "L-bracket", ["holes"] = "2" },
        42, "", "preview", DateTimeOffset.UtcNow);

    public static VipsImage Drawing()
    {
        using var rgba = VipsImage.FromSvg(Svg, 64, 64);
        return rgba.Call("extract_band", ("band", 0), ("n", 3));
    }
}
