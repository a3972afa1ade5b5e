namespace Aigc.Platform.Data;

/// <summary>LIKE patterns that take the user's text literally: '%', '_' and the escape character are escaped.</summary>
public static class LikePattern
{
    /// <summary>The escape character the patterns use; pass it to EF.Functions.Like.</summary>
    public const string Escape = "\\";

    /// <summary>Matches any value that contains <paramref name="text"/>.</summary>
    public static string Containing(string text) =>
        $"%{text.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_")}%";
}
