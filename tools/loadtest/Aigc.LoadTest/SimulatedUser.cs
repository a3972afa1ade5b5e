using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Aigc.LoadTest;

/// <summary>
/// One designer's script with a personal API token (the pages are Blazor circuits now, which an HTTP client cannot
/// sign in through): submits a job over the API, follows its events to the end, submits the next, until told to
/// stop. Mostly 4-image interactive previews, some bulk.
/// </summary>
public sealed class SimulatedUser(Uri baseAddress, string token, int seed) : IDisposable
{
    private static readonly string[] Parts = ["spur_gear", "flange", "bracket", "stepped_shaft", "ball_bearing", "hex_nut", "pulley", "hole_plate"];
    private static readonly string[] Views = ["front", "side", "section"];
    private static readonly string[] Complexities = ["low", "medium", "high"];
    private static readonly int[] BulkSizes = [16, 32, 64];
    private readonly HttpClient _http = new(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
    {
        BaseAddress = baseAddress,
        Timeout = TimeSpan.FromMinutes(10),
        DefaultRequestHeaders = { Authorization = new("Bearer", token) },
    };

    private readonly Random _random = new(seed);

    public List<JobRecord> Jobs { get; } = [];

    public int Refusals { get; private set; }

    /// <summary>Submits and follows jobs one after another until <paramref name="stopSubmitting"/>; the job in flight is followed to its end.</summary>
    public async Task RunAsync(Stopwatch clock, CancellationToken stopSubmitting, CancellationToken abort)
    {
        while (!stopSubmitting.IsCancellationRequested)
        {
            var bulk = _random.NextDouble() < 0.2;
            var count = bulk ? BulkSizes[_random.Next(BulkSizes.Length)] : 4;
            var body = new
            {
                model = "blueprints-64",
                conditions = new Dictionary<string, string>
                {
                    ["part"] = Parts[_random.Next(Parts.Length)],
                    ["view"] = Views[_random.Next(Views.Length)],
                    ["complexity"] = Complexities[_random.Next(Complexities.Length)],
                },
                count,
                seed = _random.NextInt64(0, 1L << 40),
                preset = "default",
                priority = bulk ? "bulk" : "interactive",
            };
            var submitted = clock.Elapsed;
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/generations") { Content = JsonContent.Create(body) };
            using var response = await _http.SendAsync(request, abort);
            if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable)
            {
                Refusals++;
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), abort);
                continue;
            }

            if (response.StatusCode != HttpStatusCode.Accepted)
                throw new InvalidOperationException($"POST /api/generations answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(abort)}");
            var job = JobState.Parse(await response.Content.ReadAsStringAsync(abort));
            var record = new JobRecord(job.Id, count, bulk, submitted);
            Jobs.Add(record);
            await FollowAsync(record, job, clock, abort);
        }
    }

    private async Task FollowAsync(JobRecord record, JobState state, Stopwatch clock, CancellationToken abort)
    {
        Observe(record, state, clock);
        if (state.IsFinal)
            return;
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/generations/{record.Id}/events");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, abort);
        if (response.StatusCode != HttpStatusCode.OK)
            throw new InvalidOperationException($"GET /api/generations/{record.Id}/events answered {(int)response.StatusCode}.");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(abort));
        var name = "message";
        var data = new List<string>();
        while (await reader.ReadLineAsync(abort) is { } line)
        {
            if (line.StartsWith("event:", StringComparison.Ordinal))
                name = line[6..].Trim();
            else if (line.StartsWith("data:", StringComparison.Ordinal))
                data.Add(line[5..].TrimStart());
            else if (line.Length == 0 && data.Count > 0)
            {
                Observe(record, JobState.Parse(string.Join("\n", data)), clock);
                if (name == "done")
                    return;
                name = "message";
                data.Clear();
            }
        }

        if (record.Status is null)
            throw new InvalidOperationException($"The event stream of job {record.Id} ended before the job did.");
    }

    private static void Observe(JobRecord record, JobState state, Stopwatch clock)
    {
        if (state.ImagesDone > 0 && record.FirstImage is null)
            record.FirstImage = clock.Elapsed - record.Submitted;
        if (state.IsFinal && record.Status is null)
        {
            record.Completion = clock.Elapsed - record.Submitted;
            record.Status = state.Status;
            record.ImagesListed = state.ImagesListed;
        }
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>A job as the load test saw it: times are from the moment its POST was sent.</summary>
public sealed class JobRecord(Guid id, int count, bool bulk, TimeSpan submitted)
{
    public Guid Id { get; } = id;
    public int Count { get; } = count;
    public bool Bulk { get; } = bulk;
    public TimeSpan Submitted { get; } = submitted;
    public TimeSpan? FirstImage { get; set; }
    public TimeSpan? Completion { get; set; }
    public string? Status { get; set; }
    public int ImagesListed { get; set; }
}

/// <summary>The fields of the API's job JSON the load test reads.</summary>
public sealed record JobState(Guid Id, string Status, int ImagesDone, int ImagesListed)
{
    public bool IsFinal => Status is "completed" or "failed" or "cancelled";

    public static JobState Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var status = root.GetProperty("status");
        return new JobState(
            root.GetProperty("id").GetGuid(),
            (status.ValueKind == JsonValueKind.Number ? ((Aigc.Platform.Data.JobStatus)status.GetInt32()).ToString() : status.GetString()!).ToLowerInvariant(),
            root.GetProperty("imagesDone").GetInt32(),
            root.TryGetProperty("images", out var images) ? images.GetArrayLength() : 0);
    }
}
