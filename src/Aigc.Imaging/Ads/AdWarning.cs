namespace Aigc.Imaging.Ads;

/// <summary>Something about one size of an ad a marketer should fix or accept; Severe means content is missing from it.</summary>
public sealed record AdWarning(AdSize Size, AdSlot Slot, string Message, bool Severe);
