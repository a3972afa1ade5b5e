using Aigc.Imaging.Ads;
using Aigc.Platform.Refusals;

namespace Aigc.Platform.Ads;

/// <summary>A brand kit as edited; <see cref="Validate"/> names the form field of each problem.</summary>
public sealed record BrandKitForm(string? Team, string? Name, string? PrimaryColour, string? SecondaryColour, string? BackgroundColour,
    string? FontFamily, string? DefaultCallToAction)
{
    public IReadOnlyList<AdInputProblem> Validate()
    {
        var problems = new List<AdInputProblem>();
        void Add(string code, string field, params object[] arguments) =>
            problems.Add(new(new Refusal(code, field, arguments)));
        void Text(string field, string label, string? value, int max)
        {
            if (string.IsNullOrWhiteSpace(value)) Add("Required", field, new RefusalTerm(label));
            else if (value.Trim().Length > max) Add("TooLong", field, new RefusalTerm(label), value.Trim().Length, max);
        }
        void Colour(string field, string label, string? value)
        {
            if (!RgbColour.TryParse(value, out _)) Add("Colour", field, new RefusalTerm(label));
        }
        Text("team", "Term.Team", Team, 100);
        Text("name", "Term.Name", Name, 100);
        Colour("primary", "Term.PrimaryColour", PrimaryColour);
        Colour("secondary", "Term.SecondaryColour", SecondaryColour);
        Colour("background", "Term.BackgroundColour", BackgroundColour);
        Text("cta", "Term.DefaultCallToAction", DefaultCallToAction, AdTexts.MaxCallToAction);
        if (string.IsNullOrWhiteSpace(FontFamily))
            Add("Required", "font", new RefusalTerm("Term.FontFamily"));
        else if (!FontCatalog.IsInstalled(FontFamily))
            Add("FontNotInstalled", "font", FontFamily, string.Join(", ", FontCatalog.Installed));
        return problems;
    }
}
