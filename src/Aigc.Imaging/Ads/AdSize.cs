using System.Globalization;

namespace Aigc.Imaging.Ads;

/// <summary>How a canvas is shaped; templates lay out each class differently.</summary>
public enum AdSizeClass
{
    Square,
    Portrait,
    Landscape,
    Leaderboard,
    Skyscraper,
}

/// <summary>An ad canvas in pixels.</summary>
public readonly record struct AdSize(int Width, int Height)
{
    /// <summary>The sizes every template supports: social square, portrait and story, link preview, and the IAB display units.</summary>
    public static IReadOnlyList<AdSize> Standard { get; } =
    [
        new(1080, 1080), new(1080, 1350), new(1200, 628), new(1080, 1920), new(300, 250), new(728, 90), new(160, 600),
    ];

    public AdSizeClass Class
    {
        get
        {
            var aspect = (double)Width / Height;
            return aspect switch
            {
                >= 3 => AdSizeClass.Leaderboard,
                <= 0.4 => AdSizeClass.Skyscraper,
                > 1.3 => AdSizeClass.Landscape,
                < 0.85 => AdSizeClass.Portrait,
                _ => AdSizeClass.Square,
            };
        }
    }

    public int ShortSide => Math.Min(Width, Height);

    public override string ToString() => $"{Width}x{Height}";

    /// <summary>Parses "1080x1080"; only the standard sizes are accepted.</summary>
    public static AdSize Parse(string text)
    {
        var parts = text.Split('x', 'X', '×');
        if (parts.Length == 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var width)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var height)
            && Standard.Contains(new AdSize(width, height)))
            return new AdSize(width, height);
        throw new ArgumentException($"'{text}' is not a supported ad size; use one of {string.Join(", ", Standard)}.", nameof(text));
    }
}
