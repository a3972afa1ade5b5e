using System.Diagnostics;

namespace Aigc.Imaging.Ads;

/// <summary>
/// The font families installed on this server, as fontconfig (which Pango uses) lists them. Pango silently
/// substitutes an unknown family, so brand kits may only name one of these.
/// </summary>
public static class FontCatalog
{
    private static readonly Lazy<IReadOnlyList<string>> Families = new(ListFamilies);

    public static IReadOnlyList<string> Installed => Families.Value;

    public static bool IsInstalled(string family) => Installed.Contains(family, StringComparer.Ordinal);

    private static IReadOnlyList<string> ListFamilies()
    {
        var start = new ProcessStartInfo("fc-list", [":", "family"]) { RedirectStandardOutput = true, UseShellExecute = false };
        try
        {
            using var process = Process.Start(start) ?? throw new InvalidOperationException("fc-list did not start.");
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            // A line lists a face's family names, most general first: "Inter,Inter Semi Bold". The first is the family.
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(line => line.Split(',')[0].Replace("\\-", "-"))
                .Where(family => family.Length > 0)
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException("fc-list (fontconfig) is needed to list the installed fonts; install the fontconfig package.", e);
        }
    }
}
