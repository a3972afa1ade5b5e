using Aigc.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Aigc.Platform.Accounts;

/// <summary>A user's language and theme. Short units of work: a Blazor circuit may hold this service for hours.</summary>
public sealed class UserPreferences(IDbContextFactory<PortalDbContext> contexts)
{
    /// <summary>The languages the portal speaks; the first is the default.</summary>
    public static readonly IReadOnlyList<string> Cultures = ["en", "zh-Hans"];

    public async Task<UiPreferences> GetAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new { u.UiCulture, u.UiTheme })
            .SingleOrDefaultAsync(cancellationToken);
        return new UiPreferences(row?.UiCulture, row?.UiTheme == UiPreferences.DarkTheme);
    }

    public Task SetDarkAsync(string userId, bool dark, CancellationToken cancellationToken = default) =>
        UpdateAsync(userId, u => u.UiTheme = dark ? UiPreferences.DarkTheme : UiPreferences.LightTheme, cancellationToken);

    /// <summary>Stores a supported culture; anything else is refused so no header can plant an unknown one.</summary>
    public Task SetCultureAsync(string userId, string culture, CancellationToken cancellationToken = default)
    {
        var known = Supported(culture)
            ?? throw new ArgumentException($"'{culture}' is not a language of the portal.", nameof(culture));
        return UpdateAsync(userId, u => u.UiCulture = known, cancellationToken);
    }

    /// <summary>The supported culture's canonical name, or null.</summary>
    public static string? Supported(string? culture) =>
        Cultures.FirstOrDefault(c => string.Equals(c, culture, StringComparison.OrdinalIgnoreCase));

    private async Task UpdateAsync(string userId, Action<PortalUser> change, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null)
        {
            return;
        }

        change(user);
        await db.SaveChangesAsync(cancellationToken);
    }
}

public sealed record UiPreferences(string? Culture, bool Dark)
{
    public const string DarkTheme = "dark";
    public const string LightTheme = "light";
}
