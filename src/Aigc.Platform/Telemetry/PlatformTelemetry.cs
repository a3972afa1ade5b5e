using System.Diagnostics;
using Aigc.Platform.Data;

namespace Aigc.Platform.Telemetry;

/// <summary>
/// The platform's meter and activity source, by name: System.Diagnostics only, so that the platform takes no
/// telemetry package; a host subscribes to these names (Aigc.Observability) or nothing listens and they cost nothing.
/// </summary>
public static class PlatformTelemetry
{
    public const string Name = "Aigc.Platform";

    /// <summary>The tag every span of a job's trace carries.</summary>
    public const string JobIdTag = "aigc.job.id";

    /// <summary>The five spans of a job's trace, in order; generate, post-process and store repeat per batch.</summary>
    public static readonly string[] JobSpans = ["enqueue", "claim", "generate", "post-process", "store"];

    public static readonly ActivitySource Source = new(Name);

    /// <summary>
    /// The trace context a new job carries on its row (W3C traceparent): the enqueue span's, else a fresh one, so that
    /// a worker in any process puts its spans of the job into one trace even when nothing listened at enqueue time.
    /// </summary>
    public static string TraceParentFor(Activity? enqueue) =>
        enqueue is { IdFormat: ActivityIdFormat.W3C } ? enqueue.Id!
            : $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01";

    /// <summary>Starts a span of a job's trace, a child of the context on its row; null when nothing listens.</summary>
    public static Activity? StartJobSpan(string name, GenerationJob job, DateTimeOffset startTime = default)
    {
        ActivityContext.TryParse(job.TraceParent, null, isRemote: true, out var parent);
        var span = Source.StartActivity(name, ActivityKind.Internal, parent, startTime: startTime);
        span?.SetTag(JobIdTag, job.Id.ToString());
        return span;
    }

    /// <summary>Records a span of a job's trace after the fact (batch work shared by several jobs).</summary>
    public static void RecordJobSpan(string name, GenerationJob job, DateTimeOffset start, DateTimeOffset end,
        IEnumerable<KeyValuePair<string, object?>> tags, string? error = null)
    {
        using var span = StartJobSpan(name, job, start);
        if (span is null)
            return;
        foreach (var (key, value) in tags)
            span.SetTag(key, value);
        if (error is not null)
            span.SetStatus(ActivityStatusCode.Error, error);
        span.SetEndTime(end.UtcDateTime);
    }
}
