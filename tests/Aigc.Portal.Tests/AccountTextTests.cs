using System.Globalization;
using Aigc.Portal.Features.Account;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Localization;

namespace Aigc.Portal.Tests;

/// <summary>The account forms' refusals in the request's language: DataAnnotations messages and Identity's errors.</summary>
public sealed class AccountTextTests
{
    [Fact]
    public void Validation_and_identity_refusals_follow_the_ui_culture()
    {
        using var services = new ServiceCollection().AddLogging().AddLocalization().BuildServiceProvider();
        var errors = new LocalizedIdentityErrors(services.GetRequiredService<IStringLocalizer<AccountText>>());
        var before = CultureInfo.CurrentUICulture;
        try
        {
            CultureInfo.CurrentUICulture = new CultureInfo("zh-Hans");
            Assert.Equal("密码至少需要 12 个字符。", errors.PasswordTooShort(12).Description);
            Assert.Equal("请填写{0}。", AccountValidation.Required);
            Assert.Equal("电子邮件", AccountValidation.Email);
            CultureInfo.CurrentUICulture = new CultureInfo("en");
            Assert.Equal("Passwords must be at least 12 characters.", errors.PasswordTooShort(12).Description);
            Assert.Equal("PasswordTooShort", errors.PasswordTooShort(12).Code);
            Assert.Equal("{0} is required.", AccountValidation.Required);
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
