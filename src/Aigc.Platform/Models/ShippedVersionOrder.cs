namespace Aigc.Platform.Models;

/// <summary>
/// Version labels in numeric order, digit runs compared as numbers: v2 before v10, 1.9 before 1.10. Culture-aware
/// numeric ordering is not used because it silently becomes ordinal in globalization-invariant mode.
/// </summary>
public sealed class ShippedVersionOrder : IComparer<string?>
{
    public static readonly ShippedVersionOrder Instance = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null)
            return x is null ? (y is null ? 0 : -1) : 1;
        int i = 0, j = 0;
        while (i < x.Length && j < y.Length)
        {
            if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
            {
                var (a, b) = (Number(x, ref i), Number(y, ref j));
                var byValue = a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
                if (byValue != 0)
                    return byValue;
                continue;
            }

            if (x[i] != y[j])
                return x[i].CompareTo(y[j]);
            i++;
            j++;
        }

        return (x.Length - i).CompareTo(y.Length - j);
    }

    /// <summary>The digit run at <paramref name="at"/> without leading zeros, so longer means larger.</summary>
    private static string Number(string s, ref int at)
    {
        var start = at;
        while (at < s.Length && char.IsAsciiDigit(s[at]))
            at++;
        return s[start..at].TrimStart('0');
    }
}
