using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace Aigc.Portal.Features.Account;

/// <summary>
/// Identity's refusals that the account pages show (password rules, a taken email, a stale link) in the request's
/// language; the rest keep Identity's English.
/// </summary>
public sealed class LocalizedIdentityErrors(IStringLocalizer<AccountText> t) : IdentityErrorDescriber
{
    public override IdentityError PasswordTooShort(int length) => Error(nameof(PasswordTooShort), t["IdPasswordTooShort", length]);

    public override IdentityError PasswordRequiresDigit() => Error(nameof(PasswordRequiresDigit), t["IdPasswordRequiresDigit"]);

    public override IdentityError PasswordRequiresLower() => Error(nameof(PasswordRequiresLower), t["IdPasswordRequiresLower"]);

    public override IdentityError PasswordRequiresUpper() => Error(nameof(PasswordRequiresUpper), t["IdPasswordRequiresUpper"]);

    public override IdentityError PasswordRequiresNonAlphanumeric() =>
        Error(nameof(PasswordRequiresNonAlphanumeric), t["IdPasswordRequiresNonAlphanumeric"]);

    public override IdentityError DuplicateEmail(string email) => Error(nameof(DuplicateEmail), t["IdDuplicateEmail", email]);

    public override IdentityError DuplicateUserName(string userName) =>
        Error(nameof(DuplicateUserName), t["IdDuplicateEmail", userName]);

    public override IdentityError InvalidEmail(string? email) => Error(nameof(InvalidEmail), t["EmailInvalid"]);

    public override IdentityError PasswordMismatch() => Error(nameof(PasswordMismatch), t["IdPasswordMismatch"]);

    public override IdentityError InvalidToken() => Error(nameof(InvalidToken), t["ResetLinkInvalid"]);

    private static IdentityError Error(string code, string description) => new() { Code = code, Description = description };
}
