using System.Globalization;
using Aigc.Platform.Accounts;
using Microsoft.AspNetCore.Localization;
using MudBlazor;

namespace Aigc.Portal.Web.Localization;

/// <summary>
/// English and Simplified Chinese. A request's language is the user's choice (a cookie written at sign-in and when
/// they switch, from the preference stored with their account), else the browser's Accept-Language, else English.
/// A Blazor circuit keeps the language of the request that opened it, so switching reloads the page.
/// </summary>
public static class PortalLocalization
{
    public static IServiceCollection AddPortalLocalization(this IServiceCollection services)
    {
        services.AddLocalization();
        services.AddTransient<MudLocalizer, PortalMudLocalizer>();
        services.Configure<RequestLocalizationOptions>(options =>
        {
            var cultures = UserPreferences.Cultures.Select(c => new CultureInfo(c)).ToList();
            options.DefaultRequestCulture = new RequestCulture(UserPreferences.Cultures[0]);
            options.SupportedCultures = cultures;
            options.SupportedUICultures = cultures;
            // zh-CN, zh-SG and zh-Hans-* fall back to zh-Hans.
            options.FallBackToParentCultures = true;
            options.FallBackToParentUICultures = true;
            options.RequestCultureProviders =
            [
                new CookieRequestCultureProvider(),
                new AcceptLanguageHeaderRequestCultureProvider(),
            ];
        });
        return services;
    }

    /// <summary>Remembers <paramref name="culture"/> in this browser for a year.</summary>
    public static void WriteCultureCookie(HttpResponse response, string culture) =>
        response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
            new CookieOptions
            {
                Expires = DateTimeOffset.UtcNow.AddYears(1),
                HttpOnly = true,
                IsEssential = true,
                SameSite = SameSiteMode.Lax,
                Secure = response.HttpContext.Request.IsHttps,
            });
}
