using Microsoft.Extensions.Localization;
using MudBlazor;

namespace Aigc.Portal.Web.Localization;

/// <summary>MudBlazor ships English only; its components ask this for every text they show.</summary>
internal sealed class PortalMudLocalizer(IStringLocalizer<MudText> texts) : MudLocalizer
{
    public override LocalizedString this[string key] => texts[key];

    public override LocalizedString this[string key, params object[] arguments] => texts[key, arguments];
}
