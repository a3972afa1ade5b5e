using System.Collections.Concurrent;
using System.Diagnostics;

namespace Aigc.Testing;

/// <summary>
/// The portal as a separate operating-system process (`dotnet Aigc.Portal.dll`, built next to the caller) on a free
/// loopback port: what the crash test kills with SIGKILL and the load test measures from outside. Shared by both.
/// An `aigc worker` process (`dotnet aigc.dll worker`, when the caller references the CLI) is started the same way.
/// </summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private const string ListeningMarker = "Now listening on: ";
    private const string WorkerMarker = "Generation worker ";
    private readonly Process _process;
    private readonly string _marker;
    private readonly TaskCompletionSource<string> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PortalProcess(Process process, string marker)
    {
        _process = process;
        _marker = marker;
    }

    public ConcurrentQueue<string> Output { get; } = new();

    public int Id => _process.Id;

    public Uri BaseAddress => new(_ready.Task.Result);

    /// <summary>A worker's lease owner name (host:pid:nonce), as in GenerationJobs.LeaseOwner and Workers.Id.</summary>
    public string WorkerName => _ready.Task.Result;

    public string Log => string.Join(Environment.NewLine, Output);

    /// <summary>CPU time the portal has used so far, all threads.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Starts the portal with these settings (configuration keys, passed as environment variables) and waits until it listens.</summary>
    public static Task<PortalProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string> settings, TimeSpan timeout) =>
        LaunchAsync("Aigc.Portal.dll", [], ListeningMarker, dataDirectory, settings, timeout);

    /// <summary>Starts `aigc worker` on this database and waits until its worker has started (migrated, models registered).</summary>
    public static Task<PortalProcess> StartWorkerAsync(
        string dataDirectory, string database, IReadOnlyDictionary<string, string> settings, TimeSpan timeout) =>
        LaunchAsync("aigc.dll", ["worker", "--data", dataDirectory, "--database", database], WorkerMarker, dataDirectory,
            settings, timeout);

    private static async Task<PortalProcess> LaunchAsync(string assembly, string[] arguments, string marker,
        string dataDirectory, IReadOnlyDictionary<string, string> settings, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, assembly) },
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["AIGC_DATA"] = dataDirectory;
        foreach (var (key, value) in settings)
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;

        var process = new PortalProcess(new Process { StartInfo = start, EnableRaisingEvents = true }, marker);
        process._process.OutputDataReceived += (_, e) => process.Receive(e.Data);
        process._process.ErrorDataReceived += (_, e) => process.Receive(e.Data);
        process._process.Exited += (_, _) => process._ready.TrySetException(
            new InvalidOperationException($"{assembly} exited before it was ready:{Environment.NewLine}{process.Log}"));
        process._process.Start();
        process._process.BeginOutputReadLine();
        process._process.BeginErrorReadLine();
        try
        {
            await process._ready.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            await process.DisposeAsync();
            throw new TimeoutException($"{assembly} was not ready within {timeout.TotalSeconds} s:{Environment.NewLine}{process.Log}");
        }

        return process;
    }

    /// <summary>SIGKILL, and waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
            await KillAsync();
        _process.Dispose();
    }

    private void Receive(string? line)
    {
        if (line is null)
            return;
        Output.Enqueue(line);
        var at = line.IndexOf(_marker, StringComparison.Ordinal);
        if (at < 0)
            return;
        var rest = line[(at + _marker.Length)..].Trim();
        // The worker's line: "Generation worker host:pid:nonce started".
        _ready.TrySetResult(_marker == WorkerMarker ? rest.Split(' ')[0] : rest);
    }
}
