using Aigc.Platform.Refusals;

namespace Aigc.Platform.Queue;

/// <summary>
/// A request the queue does not accept. <see cref="Refusal"/> says why (the web words it in the user's language, the
/// API answers its English); <see cref="Field"/> names the offending request field (for problem+json);
/// <see cref="Kind"/> tells the API which status to answer.
/// </summary>
public sealed class GenerationRefusedException(RefusalKind kind, Refusal refusal, TimeSpan? retryAfter = null)
    : Exception(refusal.English)
{
    public RefusalKind Kind { get; } = kind;

    public Refusal Refusal { get; } = refusal;

    public string Field => Refusal.Field;

    /// <summary>Set for <see cref="RefusalKind.QueueFull"/>: the expected wait until there is room.</summary>
    public TimeSpan? RetryAfter { get; } = retryAfter;
}

public enum RefusalKind
{
    /// <summary>The request itself is wrong (400).</summary>
    Invalid,

    /// <summary>The user's queued-images cap or daily quota is used up (429).</summary>
    Limit,

    /// <summary>The whole queue is full; try again after <see cref="GenerationRefusedException.RetryAfter"/> (503).</summary>
    QueueFull,

    /// <summary>The requester's roles may not generate at all (<see cref="GenerationPolicy"/>; 403).</summary>
    Forbidden,
}
