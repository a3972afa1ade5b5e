using MudBlazor;

namespace Aigc.Portal.Components.Layout;

/// <summary>
/// The portal's one theme: blueprint blue as the only accent, neutral greys, Inter for text and JetBrains Mono for
/// seeds, hashes and parameters (the same families the server draws ads and title blocks with).
/// </summary>
public static class PortalTheme
{
    private static readonly string[] Sans = ["Inter", "system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"];

    public static readonly MudTheme Instance = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#0b4f9c",
            PrimaryDarken = "#093f7d",
            Secondary = "#5b6675",
            Tertiary = "#2f7d6d",
            AppbarBackground = "#ffffff",
            AppbarText = "#1c2430",
            Background = "#f5f7fa",
            Surface = "#ffffff",
            DrawerBackground = "#ffffff",
            TextPrimary = "#1c2430",
            TextSecondary = "#5b6675",
            LinesDefault = "#dde3ea",
            Divider = "#dde3ea",
            TableLines = "#e6eaf0",
        },
        PaletteDark = new PaletteDark
        {
            Primary = "#6aa6ee",
            PrimaryDarken = "#8cbbf3",
            Secondary = "#8d99a8",
            Tertiary = "#5fbfa9",
            AppbarBackground = "#10151c",
            AppbarText = "#d9e0e8",
            Background = "#0f141a",
            BackgroundGray = "#18202a",
            Surface = "#151b23",
            DrawerBackground = "#151b23",
            TextPrimary = "#d9e0e8",
            TextSecondary = "#8d99a8",
            LinesDefault = "#283240",
            Divider = "#283240",
            TableLines = "#222b37",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = Sans, FontSize = "0.9375rem" },
            H1 = new H1Typography { FontFamily = Sans, FontSize = "1.75rem", FontWeight = "600", LineHeight = "1.25" },
            H2 = new H2Typography { FontFamily = Sans, FontSize = "1.375rem", FontWeight = "600", LineHeight = "1.3" },
            H3 = new H3Typography { FontFamily = Sans, FontSize = "1.125rem", FontWeight = "600", LineHeight = "1.35" },
            H4 = new H4Typography { FontFamily = Sans, FontSize = "1rem", FontWeight = "600", LineHeight = "1.4" },
            H5 = new H5Typography { FontFamily = Sans, FontSize = "0.9375rem", FontWeight = "600", LineHeight = "1.4" },
            H6 = new H6Typography { FontFamily = Sans, FontSize = "0.875rem", FontWeight = "600", LineHeight = "1.4" },
            Button = new ButtonTypography { FontFamily = Sans, FontWeight = "500", TextTransform = "none" },
        },
        LayoutProperties = new LayoutProperties { DefaultBorderRadius = "8px", AppbarHeight = "56px" },
    };
}
