using Aigc.Imaging.Ads;

namespace Aigc.Platform.Ads;

/// <summary>A brand kit as edited; <see cref="Validate"/> names the form field of each problem.</summary>
public sealed record BrandKitForm(string? Team, string? Name, string? PrimaryColour, string? SecondaryColour, string? BackgroundColour,
    string? FontFamily, string? DefaultCallToAction)
{
    public IReadOnlyList<AdInputProblem> Validate()
    {
        var problems = new List<AdInputProblem>();
        void Text(string field, string label, string? value, int max)
        {
            if (string.IsNullOrWhiteSpace(value)) problems.Add(new(field, $"{label} is required."));
            else if (value.Trim().Length > max) problems.Add(new(field, $"{label} is {value.Trim().Length} characters; at most {max}."));
        }
        void Colour(string field, string label, string? value)
        {
            if (!RgbColour.TryParse(value, out _)) problems.Add(new(field, $"{label} must be a colour like #0b4f9c."));
        }
        Text("team", "Team", Team, 100);
        Text("name", "Name", Name, 100);
        Colour("primary", "Primary colour", PrimaryColour);
        Colour("secondary", "Secondary colour", SecondaryColour);
        Colour("background", "Background colour", BackgroundColour);
        Text("cta", "Default call to action", DefaultCallToAction, AdTexts.MaxCallToAction);
        if (string.IsNullOrWhiteSpace(FontFamily))
            problems.Add(new("font", "Font family is required."));
        else if (!FontCatalog.IsInstalled(FontFamily))
            problems.Add(new("font", $"The font family '{FontFamily}' is not installed on the server; choose one of {string.Join(", ", FontCatalog.Installed)}."));
        return problems;
    }
}
