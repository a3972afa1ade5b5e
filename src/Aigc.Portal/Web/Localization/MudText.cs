namespace Aigc.Portal.Web.Localization;

/// <summary>MudBlazor's own texts (MudText.resx: its English; MudText.zh-Hans.resx: ours in Chinese).</summary>
public sealed class MudText;
