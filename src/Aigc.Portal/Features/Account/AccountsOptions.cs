using System.ComponentModel.DataAnnotations;

namespace Aigc.Portal.Features.Account;

public enum RegistrationPolicy
{
    /// <summary>Nobody may register; admins create accounts through invites only.</summary>
    Closed,

    /// <summary>Only holders of an admin-issued invite link may register; they can sign in at once.</summary>
    Invite,

    /// <summary>Anyone may register; an admin approves the account before its first sign-in.</summary>
    Approval,
}

/// <summary>Who may register and how accounts are protected.</summary>
public sealed class AccountsOptions
{
    public const string SectionName = "Accounts";

    public RegistrationPolicy RegistrationPolicy { get; set; } = RegistrationPolicy.Approval;

    [Range(8, 128, ErrorMessage = "Accounts:PasswordMinLength must be between 8 and 128.")]
    public int PasswordMinLength { get; set; } = 10;

    [Range(1, 100, ErrorMessage = "Accounts:LockoutMaxFailedAttempts must be between 1 and 100.")]
    public int LockoutMaxFailedAttempts { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00", ErrorMessage = "Accounts:LockoutDuration must be between 1 second and 30 days.")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How soon a sign-out-everywhere, lock or role change reaches other signed-in sessions.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Accounts:SecurityStampValidationInterval must be between 0 and 1 hour.")]
    public TimeSpan SecurityStampValidationInterval { get; set; } = TimeSpan.FromMinutes(1);

    [Range(typeof(TimeSpan), "00:01:00", "90.00:00:00", ErrorMessage = "Accounts:InviteLifetime must be between 1 minute and 90 days.")]
    public TimeSpan InviteLifetime { get; set; } = TimeSpan.FromDays(7);

    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00", ErrorMessage = "Accounts:SessionLifetime must be between 1 minute and 30 days.")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromDays(14);
}
