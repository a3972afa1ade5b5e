namespace Aigc.Portal.Features.Account;

/// <summary>Marker for the account pages' texts (AccountText.resx, AccountText.zh-Hans.resx).</summary>
public sealed class AccountText;
