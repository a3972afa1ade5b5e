namespace Aigc.Portal.Components;

/// <summary>Texts of the Platform's refusals (<c>Aigc.Platform.Refusals.RefusalTexts</c>): one key per code and
/// term.</summary>
public sealed class RefusalText;
