using System.Security.Claims;
using Aigc.Platform.Accounts;
using Aigc.Portal.Components;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Aigc.Portal.Features.Admin;

/// <summary>Accounts for admins: search (kept in the URL), sorted server-side pages, and the actions on each.</summary>
public sealed partial class Users
{
    private MudDataGrid<UserListItem> _grid = default!;
    private readonly Dictionary<string, string> _resetLinks = [];
    private ClaimsPrincipal _admin = new();
    private string? _self;
    private string? _query;
    private int _total;

    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "q")] private string? Q { get; set; }

    private string CountText => string.IsNullOrWhiteSpace(_query)
        ? T.Counted("UserCount", _total)
        : T.Counted("UserCountMatching", _total, _query.Trim());

    protected override async Task OnInitializedAsync()
    {
        _admin = (await AuthenticationState).User;
        _self = _admin.FindFirstValue(ClaimTypes.NameIdentifier);
        _query = Q;
    }

    private async Task<GridData<UserListItem>> LoadAsync(GridState<UserListItem> state, CancellationToken cancellationToken)
    {
        var sort = state.SortDefinitions.FirstOrDefault();
        var order = sort?.SortBy switch
        {
            nameof(UserListItem.Email) => UserSort.Email,
            nameof(UserListItem.CreatedAt) => UserSort.Created,
            _ => UserSort.Pending,
        };
        var page = await Directory.SearchAsync(
            new UserSearch(_query, order, sort?.Descending ?? false, state.Page, state.PageSize), cancellationToken);
        _total = page.Total;
        // The count above the grid belongs to this page, not to the grid: render it with the rows.
        StateHasChanged();
        return new GridData<UserListItem> { Items = page.Items, TotalItems = page.Total };
    }

    private async Task SearchAsync(string? query)
    {
        _query = query;
        // Bookmarkable: the address bar follows the search.
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("q", string.IsNullOrWhiteSpace(query) ? null : query),
            replace: true);
        await _grid.ReloadServerData();
    }

    private Task ApproveAsync(UserListItem user) => RunAsync(user, Administration.ApproveAsync, "Approved");

    private Task UnlockAsync(UserListItem user) => RunAsync(user, Administration.UnlockAsync, "Unlocked");

    private async Task LockAsync(UserListItem user)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(T["LockTitle"], T["LockQuestion", user.Email],
            yesText: T["Lock"], cancelText: T["Cancel"]);
        if (confirmed == true)
        {
            await RunAsync(user, Administration.LockAsync, "Locked");
        }
    }

    private Task SetRolesAsync(UserListItem user, IReadOnlyCollection<string>? roles) =>
        RunAsync(user, (admin, id, ct) => Administration.SetRolesAsync(admin, id, roles ?? [], ct), "RolesSaved");

    private async Task ResetLinkAsync(UserListItem user)
    {
        var result = await Administration.CreateResetTokenAsync(_admin, user.Id);
        if (result is { Outcome: UserActionOutcome.Done, ResetToken: { } token })
        {
            _resetLinks[user.Id] = Navigation.ToAbsoluteUri(
                $"account/reset-password?user={Uri.EscapeDataString(user.Id)}&code={Uri.EscapeDataString(token)}").ToString();
        }

        await ShowAsync(result, "ResetLinkCreated");
    }

    private async Task RunAsync(UserListItem user,
        Func<ClaimsPrincipal, string, CancellationToken, Task<UserActionResult>> action, string doneKey)
    {
        var result = await action(_admin, user.Id, CancellationToken.None);
        await ShowAsync(result, doneKey);
    }

    private async Task ShowAsync(UserActionResult result, string doneKey)
    {
        var (message, severity) = result.Outcome switch
        {
            UserActionOutcome.Done when doneKey == "RolesSaved" => (T["RolesSaved", Roles(result.User)].Value, Severity.Success),
            UserActionOutcome.Done => (T[doneKey].Value, Severity.Success),
            UserActionOutcome.AlreadyApproved => (T["AlreadyApproved"].Value, Severity.Info),
            UserActionOutcome.RefusedForSelf => (T["CannotLockSelf"].Value, Severity.Warning),
            UserActionOutcome.NotFound => (T["UserGone"].Value, Severity.Warning),
            _ => (T["ActionFailed", result.Error ?? ""].Value, Severity.Error),
        };
        Snackbar.Add(message, severity);
        await _grid.ReloadServerData();
    }

    private string Roles(UserListItem? user) =>
        user is null || user.Roles.Count == 0 ? T["NoRoles"] : string.Join(", ", user.Roles);
}
