using System.Globalization;

namespace Aigc.Portal.Features.Ads;

/// <summary>How Ads pages show times: the user's culture, in UTC as stored (the server knows no user's time zone).</summary>
internal static class AdsFormat
{
    public static string When(DateTime utc) => utc.ToString("g", CultureInfo.CurrentCulture) + " UTC";
}
