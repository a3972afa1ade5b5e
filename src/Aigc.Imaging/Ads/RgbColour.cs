using System.Globalization;

namespace Aigc.Imaging.Ads;

/// <summary>An sRGB colour written as #rrggbb, the only form brand kits accept.</summary>
public readonly record struct RgbColour(byte R, byte G, byte B)
{
    public static readonly RgbColour White = new(255, 255, 255);
    public static readonly RgbColour Ink = new(17, 24, 39);

    public string Hex => $"#{R:x2}{G:x2}{B:x2}";

    public double[] Bands => [R, G, B];

    public static bool TryParse(string? text, out RgbColour colour)
    {
        colour = default;
        if (text is not { Length: 7 } || text[0] != '#' || text.AsSpan(1).ContainsAnyExcept("0123456789abcdefABCDEF")) return false;
        var value = int.Parse(text.AsSpan(1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        colour = new RgbColour((byte)(value >> 16), (byte)(value >> 8), (byte)value);
        return true;
    }

    public static RgbColour Parse(string text, string field) =>
        TryParse(text, out var colour) ? colour : throw new ArgumentException($"{field} must be a colour like #0b4f9c, not '{text}'.", field);

    /// <summary>WCAG relative luminance, 0 for black to 1 for white.</summary>
    public double Luminance => 0.2126 * Linear(R) + 0.7152 * Linear(G) + 0.0722 * Linear(B);

    /// <summary>WCAG contrast ratio, 1 (none) to 21 (black on white).</summary>
    public double ContrastWith(RgbColour other)
    {
        var (a, b) = (Luminance + 0.05, other.Luminance + 0.05);
        return Math.Max(a, b) / Math.Min(a, b);
    }

    /// <summary>Whichever of the candidates reads best on this colour.</summary>
    public RgbColour MostLegible(params ReadOnlySpan<RgbColour> candidates)
    {
        var best = candidates[0];
        foreach (var candidate in candidates)
            if (ContrastWith(candidate) > ContrastWith(best)) best = candidate;
        return best;
    }

    public override string ToString() => Hex;

    private static double Linear(byte channel)
    {
        var c = channel / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
    }
}
