using Microsoft.AspNetCore.Identity;

namespace Aigc.Platform.Data;

public class PortalUser : IdentityUser
{
    public string? DisplayName { get; set; }

    public DateTime CreatedAt { get; set; } = DateTime.UtcNow;

    /// <summary>Null until an admin approves the account (registration policy "Approval").</summary>
    public DateTime? ApprovedAt { get; set; }

    /// <summary>Set for accounts given a password by someone else (the first admin); cleared by the user's own change.</summary>
    public bool MustChangePassword { get; set; }

    /// <summary>The user's language ("en", "zh-Hans"); null follows the browser.</summary>
    public string? UiCulture { get; set; }

    /// <summary>"light" or "dark"; null is light.</summary>
    public string? UiTheme { get; set; }
}
