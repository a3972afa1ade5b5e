using Aigc.Imaging.Ads;

namespace Aigc.Platform.Ads;

/// <summary>What the composer offers, as plain values: the web never touches the renderer's types.</summary>
public static class AdCatalog
{
    public const int MaxHeadline = AdTexts.MaxHeadline;
    public const int MaxSubline = AdTexts.MaxSubline;
    public const int MaxCallToAction = AdTexts.MaxCallToAction;
    public const int MaxLegal = AdTexts.MaxLegal;
    public const int MaxName = 100;

    public static IReadOnlyList<AdTemplateChoice> Templates { get; } =
        AdTemplateCatalog.All.Select(t => new AdTemplateChoice(t.Id, t.Name, t.Description)).ToList();

    /// <summary>Every standard size, largest canvas first as the composer lists them.</summary>
    public static IReadOnlyList<AdSizeChoice> Sizes { get; } =
        AdSize.Standard.Select(s => new AdSizeChoice(s.ToString(), s.Width, s.Height)).ToList();

    public static IReadOnlyList<string> Fonts => FontCatalog.Installed;

    /// <summary>The product-shot treatments by their form value; empty means the template's own.</summary>
    public static IReadOnlyList<string> Treatments { get; } =
        Enum.GetNames<ProductShotTreatment>().Select(n => n.ToLowerInvariant()).ToList();

    public static string TemplateName(string id) => AdTemplateCatalog.TryGet(id, out var t) ? t.Name : id;
}

public sealed record AdTemplateChoice(string Id, string Name, string Description);

/// <summary>A canvas size; <see cref="Key"/> ("1080x1080") is how forms and file names spell it.</summary>
public sealed record AdSizeChoice(string Key, int Width, int Height);

/// <summary>A renderer's warning about a text that had to shrink or was cut, fit to show the user.</summary>
public sealed record AdNotice(string Message, bool Severe);
