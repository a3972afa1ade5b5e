namespace Aigc.Platform.Accounts;

public static class PortalRoles
{
    public const string Admin = "Admin";
    public const string Designer = "Designer";
    public const string Marketer = "Marketer";
    public const string Viewer = "Viewer";

    public static readonly IReadOnlyList<string> All = [Admin, Designer, Marketer, Viewer];
}
