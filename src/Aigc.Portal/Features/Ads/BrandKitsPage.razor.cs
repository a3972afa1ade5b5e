using System.Globalization;
using Aigc.Platform.Ads;
using Aigc.Platform.Data;
using Aigc.Portal.Components;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using MudBlazor;

namespace Aigc.Portal.Features.Ads;

/// <summary>
/// Brand kits: the cards and one editor (new, or the kit named by ?edit=). A logo streams from the browser with
/// Ads:MaxLogoBytes as the limit; a larger one is refused with a message before any of it is read.
/// </summary>
public sealed partial class BrandKitsPage
{
    private static readonly (string Field, string Label)[] ColourFields =
        [("primary", "Primary"), ("secondary", "Secondary"), ("background", "Background")];

    private List<BrandKit>? _kits;
    private BrandKit? _editing;
    private string _team = "";
    private string _kitName = "";
    private string _font = "Inter";
    private string _cta = "";
    private bool _removeLogo;
    private bool _saving;
    private IBrowserFile? _logo;
    private readonly Dictionary<string, string> _colours = [];
    private IReadOnlyList<FormProblem> _problems = [];

    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    /// <summary>The kit just saved, highlighted.</summary>
    [SupplyParameterFromQuery(Name = "saved")] public Guid? Saved { get; set; }

    /// <summary>The kit in the editor; none for a new one.</summary>
    [SupplyParameterFromQuery(Name = "edit")] public Guid? EditId { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        // The layout re-renders its pages now and then; only a change of the URL's kit resets the form.
        if (_kits is not null && EditId == _editing?.Id)
            return;
        _kits = await Kits.ListAsync();
        Fill(EditId is { } id ? _kits.FirstOrDefault(k => k.Id == id) : null);
    }

    private string? For(string field) => _problems.FirstOrDefault(p => p.Field == field)?.Text;

    private bool Has(string field) => _problems.Any(p => p.Field == field);

    private void Edit(Guid? id) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
        {
            ["edit"] = id, ["saved"] = null,
        }), replace: true);

    private void Fill(BrandKit? kit)
    {
        _editing = kit;
        _team = kit?.Team ?? "";
        _kitName = kit?.Name ?? "";
        _font = kit?.FontFamily ?? "Inter";
        _cta = kit?.DefaultCallToAction ?? T["LearnMore"];
        _colours["primary"] = kit?.PrimaryColour ?? "#0b4f9c";
        _colours["secondary"] = kit?.SecondaryColour ?? "#f59e0b";
        _colours["background"] = kit?.BackgroundColour ?? "#f8fafc";
        _removeLogo = false;
        _logo = null;
        _problems = [];
    }

    private void LogoChosen(InputFileChangeEventArgs e)
    {
        _logo = e.File;
        _problems = TooLarge(e.File) is { } problem ? [problem] : [];
    }

    /// <summary>The browser's claimed size, checked before reading; the stream's limit catches a false claim.</summary>
    private FormProblem? TooLarge(IBrowserFile file) =>
        file.Size > Options.Value.MaxLogoBytes
            ? new FormProblem("logo", T["LogoTooLarge", file.Name,
                file.Size.ToString("N0", CultureInfo.CurrentCulture),
                Options.Value.MaxLogoBytes.ToString("N0", CultureInfo.CurrentCulture)])
            : null;

    private async Task SaveAsync()
    {
        _saving = true;
        _problems = [];
        try
        {
            byte[]? logo = null;
            if (_logo is { } file)
            {
                if (TooLarge(file) is { } problem)
                {
                    _problems = [problem];
                    return;
                }
                await using var upload = file.OpenReadStream(Options.Value.MaxLogoBytes);
                logo = await Kits.ReadLogoAsync(upload);
            }
            var form = new BrandKitForm(_team, _kitName, _colours["primary"], _colours["secondary"],
                _colours["background"], _font, _cta);
            var user = (await AuthenticationState).User;
            var kit = await Kits.SaveAsync(_editing?.Id, form, logo, _removeLogo, user);
            Snackbar.Add(T["KitSaved", kit.Name], Severity.Success);
            _kits = await Kits.ListAsync();
            Saved = kit.Id;
            Fill(null);
            Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(new Dictionary<string, object?>
            {
                ["edit"] = null, ["saved"] = kit.Id,
            }), replace: true);
        }
        catch (AdInputException e)
        {
            _problems = FormProblem.From(e, R);
        }
        catch (IOException)
        {
            // The browser sent more than it claimed, or the upload broke off.
            _problems = [new FormProblem("logo", T["LogoUnreadable", Options.Value.MaxLogoBytes.ToString("N0",
                CultureInfo.CurrentCulture)])];
        }
        catch (KeyNotFoundException)
        {
            _problems = [new FormProblem("kit", T["KitGone"])];
        }
        finally
        {
            _saving = false;
        }
    }
}
