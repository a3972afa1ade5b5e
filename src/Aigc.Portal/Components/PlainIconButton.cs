using Microsoft.AspNetCore.Components;

namespace Aigc.Portal.Components;

/// <summary>
/// MudIconButton's look without the component: its CSS classes and MudIcon's svg, for buttons repeated on every tile
/// of a page. Each MudBlazor component keeps state per circuit, and a page of tiles held hundreds of them (issue 24:
/// a Studio tile of ~20 components was 180–290 KB; a gallery window re-rendered three per tile).
/// </summary>
public static class PlainIconButton
{
    /// <summary>MudIconButton's own classes (hover, focus, size), then the caller's.</summary>
    public static string Classes(string? more = null) =>
        $"mud-button-root mud-icon-button mud-icon-button-size-small {more}".TrimEnd();

    /// <summary>
    /// A MudBlazor icon (an <c>Icons.Material…</c> string) as MudIcon draws it: small unless
    /// <paramref name="medium"/>, with <paramref name="more"/> classes (a colour, MudNavLink's icon classes).
    /// </summary>
    public static RenderFragment Icon(string svg, bool medium = false, string? more = null) => builder =>
    {
        builder.OpenElement(0, "svg");
        var size = medium ? "medium" : "small";
        builder.AddAttribute(1, "class", $"mud-icon-root mud-svg-icon mud-icon-size-{size} {more}".TrimEnd());
        builder.AddAttribute(2, "viewBox", "0 0 24 24");
        builder.AddAttribute(3, "aria-hidden", "true");
        builder.AddAttribute(4, "focusable", "false");
        builder.AddMarkupContent(5, svg);
        builder.CloseElement();
    };
}
