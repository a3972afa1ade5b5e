using System.Diagnostics;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Aigc.Generation.Datasets;

namespace Aigc.LoadTest;

/// <summary>
/// Issue 29's load proof: a training run in progress on the portal's worker while the users submit. A trainer's token
/// uploads a synthetic dataset and queues a long run through the API (as a trainer would), the tool waits until it
/// steps, and reads its step counter around each level, so steps/s idle and while serving come from the same run.
/// </summary>
public sealed class TrainingLoad : IDisposable
{
    private readonly HttpClient _http;
    private Uri? _run;

    private TrainingLoad(Uri baseAddress, string token)
    {
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public static async Task<TrainingLoad> StartAsync(Uri baseAddress, LoadDatabase database, int steps, int batch,
        CancellationToken cancellationToken)
    {
        var load = new TrainingLoad(baseAddress, await LoadUsers.TrainerTokenAsync(database));
        using var zip = new ByteArrayContent(SyntheticZip());
        zip.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        var upload = await load._http.PostAsync("/api/datasets?name=load-parts", zip, cancellationToken);
        var created = await ReadAsync(upload, cancellationToken);
        var started = await load._http.PostAsJsonAsync("/api/training-runs", new
        {
            datasetVersionId = created.GetProperty("versionId").GetGuid(), modelName = "load-parts",
            versionLabel = $"l{DateTime.UtcNow:HHmmss}", steps, batchSize = batch, pack = 1,
        }, cancellationToken);
        await ReadAsync(started, cancellationToken);
        load._run = started.Headers.Location;
        // A tool, not a test: it polls the run's own counter until the worker has taken it and stepped.
        var waited = Stopwatch.StartNew();
        while (await load.StepsDoneAsync(cancellationToken) < 3)
        {
            if (waited.Elapsed > TimeSpan.FromMinutes(3))
                throw new InvalidOperationException("The training run did not start stepping within 3 minutes.");
            await Task.Delay(500, cancellationToken);
        }

        return load;
    }

    public async Task<int> StepsDoneAsync(CancellationToken cancellationToken)
    {
        var run = await ReadAsync(await _http.GetAsync(_run, cancellationToken), cancellationToken);
        var status = run.GetProperty("status").GetString();
        if (status is "failed" or "cancelled" or "completed")
            throw new InvalidOperationException($"The training run is {status}: {run.GetProperty("error")}");
        return run.GetProperty("stepsDone").GetInt32();
    }

    /// <summary>Steps per second over <paramref name="window"/> with nothing else asked of the portal.</summary>
    public async Task<double> IdleStepsPerSecondAsync(TimeSpan window, CancellationToken cancellationToken)
    {
        var (from, clock) = (await StepsDoneAsync(cancellationToken), Stopwatch.StartNew());
        await Task.Delay(window, cancellationToken);
        return (await StepsDoneAsync(cancellationToken) - from) / clock.Elapsed.TotalSeconds;
    }

    public async Task CancelAsync(CancellationToken cancellationToken) =>
        await ReadAsync(await _http.PostAsync($"{_run}/cancel", null, cancellationToken), cancellationToken);

    public void Dispose() => _http.Dispose();

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException(
                $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Two part classes, 16 drawings each, and the labels CSV, as the browser test uploads.</summary>
    private static byte[] SyntheticZip()
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            var labels = new StringBuilder(DatasetFolder.LabelsHeader + "\n");
            for (var part = 0; part < 2; part++)
                for (var i = 0; i < 16; i++)
                {
                    var label = BlueprintSynthesizer.LabelFor(part, i);
                    var name = $"{label.Part}-{i}.png";
                    using (var entry = zip.CreateEntry(name).Open())
                        entry.Write(BlueprintSynthesizer.RenderPng(label, 29, part * 100 + i, 64));
                    labels.Append($"{name},{label.Part},{label.View},{label.Complexity}\n");
                }

            using var csv = zip.CreateEntry("labels.csv").Open();
            csv.Write(Encoding.UTF8.GetBytes(labels.ToString()));
        }

        return buffer.ToArray();
    }
}
