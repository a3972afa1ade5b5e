using System.Diagnostics.Metrics;
using Aigc.Platform.Data;
using Aigc.Platform.Queue;
using Aigc.Platform.Telemetry;

namespace Aigc.Platform.Tests.Telemetry;

/// <summary>The gauges publish what Admin › Status reads: the same reader, the same counters.</summary>
public sealed class PlatformGaugesTests : IDisposable
{
    private static readonly Dictionary<string, string> Conditions =
        new() { ["part"] = "flange", ["view"] = "front", ["complexity"] = "low" };

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Queue_depth_gauges_and_the_status_reading_agree_per_priority()
    {
        await using var host = await ServiceHost.StartAsync(_folder.Sub("data"));
        await host.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Path, 2), "v1");
        await host.EnqueueAsync(new GenerationRequest("blueprints-64", Conditions, 3, 1, "plain"), ServiceHost.Alice);
        foreach (var count in new[] { 5, 2 })
            await host.EnqueueAsync(new GenerationRequest("blueprints-64", Conditions, count, 1, "plain", JobPriority.Bulk), ServiceHost.Bob);

        var measured = Collect(host);
        var reading = await host.Get<QueueDepthReader>().ReadAsync();

        Assert.Equal(3, measured[("aigc.queue.images", "queued", "interactive")]);
        Assert.Equal(7, measured[("aigc.queue.images", "queued", "bulk")]);
        Assert.Equal(2, measured[("aigc.queue.jobs", "queued", "bulk")]);
        Assert.Equal(0, measured[("aigc.queue.jobs", "running", "interactive")]);
        foreach (var depth in reading.Queued)
        {
            var priority = depth.Priority.ToString().ToLowerInvariant();
            Assert.Equal(depth.Images, measured[("aigc.queue.images", "queued", priority)]);
            Assert.Equal(depth.Jobs, measured[("aigc.queue.jobs", "queued", priority)]);
        }
    }

    [Fact]
    public async Task Open_progress_streams_are_counted_until_they_end()
    {
        await using var host = await ServiceHost.StartAsync(_folder.Sub("data"));
        await host.RegisterAsync(ServiceHost.WriteModelFolder(_folder.Path, 2), "v1");
        var job = await host.EnqueueAsync(
            new GenerationRequest("blueprints-64", Conditions, 1, 1, "plain"), ServiceHost.Alice);
        var live = host.Get<LiveConnections>();

        await using (var watch = host.Get<JobProgressFeed>().WatchAsync(job.Id, ServiceHost.Alice).GetAsyncEnumerator())
        {
            Assert.True(await watch.MoveNextAsync());
            Assert.Equal(1, live.Streams);
            Assert.Equal(1, Collect(host)[("aigc.live.streams", "", "")]);
        }

        Assert.Equal(0, live.Streams);
        Assert.Equal(0, Collect(host)[("aigc.live.streams", "", "")]);
        live.CircuitOpened();
        Assert.Equal(1, Collect(host)[("aigc.live.circuits", "", "")]);
        live.CircuitClosed();
    }

    /// <summary>One collection of this host's observable instruments: (instrument, status, priority) → value.</summary>
    private static Dictionary<(string, string, string), double> Collect(ServiceHost host)
    {
        var gauges = host.Get<PlatformGauges>();
        var factory = host.Get<IMeterFactory>();
        var values = new Dictionary<(string, string, string), double>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == PlatformTelemetry.Name && instrument.Meter.Scope == factory)
                l.EnableMeasurementEvents(instrument);
        };
        void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var (status, priority) = ("", "");
            foreach (var tag in tags)
            {
                if (tag.Key == "status")
                    status = (string)tag.Value!;
                else if (tag.Key == "priority")
                    priority = (string)tag.Value!;
            }

            values[(instrument.Name, status, priority)] = value;
        }

        listener.SetMeasurementEventCallback<int>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => Record(i, v, t));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => Record(i, v, t));
        listener.Start();
        listener.RecordObservableInstruments();
        GC.KeepAlive(gauges);
        return values;
    }
}
