using System.Globalization;
using System.Resources;

namespace Aigc.Portal.Features.Account;

/// <summary>
/// Field names and validation messages of the account forms in the request's language. DataAnnotations take texts
/// from static properties (ErrorMessageResourceType / Display.ResourceType), so these read AccountText's resources.
/// </summary>
public static class AccountValidation
{
    private static readonly ResourceManager Resources = new(typeof(AccountText));

    public static string Required => Get(nameof(Required));

    public static string EmailInvalid => Get(nameof(EmailInvalid));

    public static string TooLong => Get(nameof(TooLong));

    public static string PasswordsDiffer => Get(nameof(PasswordsDiffer));

    public static string Email => Get(nameof(Email));

    public static string Password => Get(nameof(Password));

    public static string DisplayName => Get(nameof(DisplayName));

    public static string ConfirmPassword => Get(nameof(ConfirmPassword));

    public static string CurrentPassword => Get(nameof(CurrentPassword));

    public static string NewPassword => Get(nameof(NewPassword));

    public static string ConfirmNewPassword => Get(nameof(ConfirmNewPassword));

    private static string Get(string key) =>
        Resources.GetString(key, CultureInfo.CurrentUICulture) ?? throw new MissingManifestResourceException(key);
}
