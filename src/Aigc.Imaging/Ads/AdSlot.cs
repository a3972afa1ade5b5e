namespace Aigc.Imaging.Ads;

/// <summary>The named places of a template; every text slot takes one of the composition's texts.</summary>
public enum AdSlot
{
    Image,
    Headline,
    Subline,
    CallToAction,
    Logo,
    Legal,
}

public static class AdSlotNames
{
    /// <summary>The slot's name in template SVGs (data-slot).</summary>
    public static string SvgName(this AdSlot slot) => slot switch
    {
        AdSlot.CallToAction => "cta",
        _ => slot.ToString().ToLowerInvariant(),
    };

    public static string DisplayName(this AdSlot slot) => slot switch
    {
        AdSlot.CallToAction => "Call to action",
        AdSlot.Legal => "Legal text",
        _ => slot.ToString(),
    };

    public static bool IsText(this AdSlot slot) => slot is AdSlot.Headline or AdSlot.Subline or AdSlot.CallToAction or AdSlot.Legal;

    public static AdSlot FromSvgName(string name) =>
        Enum.GetValues<AdSlot>().FirstOrDefault(s => s.SvgName() == name, (AdSlot)(-1)) is var slot && Enum.IsDefined(slot)
            ? slot
            : throw new FormatException($"Unknown slot '{name}'; slots are {string.Join(", ", Enum.GetValues<AdSlot>().Select(s => s.SvgName()))}.");
}
