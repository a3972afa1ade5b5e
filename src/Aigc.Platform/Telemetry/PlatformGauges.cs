using System.Diagnostics.Metrics;
using Aigc.Generation.Inference;
using Aigc.Platform.Models;
using Aigc.Platform.Queue;

namespace Aigc.Platform.Telemetry;

/// <summary>
/// The platform's observed values, read when a meter listener collects: queue depth, device load, live connections
/// and the worker's rate and heartbeat. Each reads the object Admin › Status reads, so both show the same numbers.
/// A host's telemetry set-up resolves this once (OpenTelemetry: AddInstrumentation), which publishes the gauges.
/// </summary>
public sealed class PlatformGauges
{
    public PlatformGauges(
        IMeterFactory meters, QueueDepthReader depth, QueueMetrics metrics, IInferenceDevice device,
        LiveConnections live)
    {
        var meter = meters.Create(PlatformTelemetry.Name);
        meter.CreateObservableGauge("aigc.queue.images", () => Depth(depth.Current(), d => d.Images), "{image}",
            "Images left in queued and running jobs, per status and priority.");
        meter.CreateObservableGauge("aigc.queue.jobs", () => Depth(depth.Current(), d => d.Jobs), "{job}",
            "Queued and running jobs, per status and priority.");
        meter.CreateObservableGauge("aigc.generation.rate", () => metrics.Snapshot().ImagesPerSecond, "{image}/s",
            $"Images stored per second over the last {QueueMetrics.RateWindow.TotalSeconds:0} s (Admin › Status).");
        meter.CreateObservableGauge("aigc.device.load",
            () => device.LoadOver(Status.SystemStatus.LoadWindow).BusyFraction, "1",
            $"Share of the last {Status.SystemStatus.LoadWindow.TotalSeconds:0} s the inference device spent in passes.");
        meter.CreateObservableCounter("aigc.device.images",
            () => device.LoadOver(Status.SystemStatus.LoadWindow).ImagesGenerated,
            "{image}",
            "Images the inference device generated since start (smoke checks included).");
        meter.CreateObservableUpDownCounter("aigc.live.streams", () => live.Streams, "{stream}",
            "Progress streams (Server-Sent Events) open now.");
        meter.CreateObservableUpDownCounter("aigc.live.circuits", () => live.Circuits, "{circuit}",
            "Interactive UI circuits open now.");
        meter.CreateObservableGauge("aigc.worker.heartbeat", () => Seconds(metrics.LastHeartbeat), "s",
            "Unix time of this process's worker's last loop (absent when it runs no worker).");
        meter.CreateObservableGauge("aigc.worker.last_batch", () => Seconds(metrics.LastBatch), "s",
            "Unix time this process's worker last stored a batch (absent before its first).");
    }

    private static IEnumerable<Measurement<int>> Depth(QueueDepthReading reading, Func<QueueDepth, int> value) =>
        reading.Queued.Select(d => Measured(d, "queued", value))
            .Concat(reading.Running.Select(d => Measured(d, "running", value)));

    private static Measurement<int> Measured(QueueDepth depth, string status, Func<QueueDepth, int> value) =>
        new(value(depth), new("status", status), new("priority", depth.Priority.ToString().ToLowerInvariant()));

    private static IEnumerable<Measurement<double>> Seconds(DateTimeOffset? at) =>
        at is { } time ? [new(time.ToUnixTimeMilliseconds() / 1000.0)] : [];
}
