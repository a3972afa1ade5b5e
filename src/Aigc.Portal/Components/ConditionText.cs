namespace Aigc.Portal.Components;

/// <summary>Words for the shipped models' conditions: a key per condition name ("part") and per value
/// ("part.spur_gear"). See <see cref="ConditionWording"/>.</summary>
public sealed class ConditionText;
