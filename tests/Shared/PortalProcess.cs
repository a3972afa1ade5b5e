using System.Collections.Concurrent;
using System.Diagnostics;

namespace Aigc.Testing;

/// <summary>
/// The portal as a separate operating-system process (`dotnet Aigc.Portal.dll`, built next to the caller) on a free
/// loopback port: what the crash test kills with SIGKILL and the load test measures from outside. Shared by both.
/// </summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private PortalProcess(Process process) => _process = process;

    public ConcurrentQueue<string> Output { get; } = new();

    public int Id => _process.Id;

    public Uri BaseAddress => _listening.Task.Result;

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
    public static async Task<PortalProcess> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string> settings, TimeSpan timeout)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "Aigc.Portal.dll") },
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["AIGC_DATA"] = dataDirectory;
        foreach (var (key, value) in settings)
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;

        var portal = new PortalProcess(new Process { StartInfo = start, EnableRaisingEvents = true });
        portal._process.OutputDataReceived += (_, e) => portal.Receive(e.Data);
        portal._process.ErrorDataReceived += (_, e) => portal.Receive(e.Data);
        portal._process.Exited += (_, _) => portal._listening.TrySetException(
            new InvalidOperationException($"The portal exited before listening:{Environment.NewLine}{portal.Log}"));
        portal._process.Start();
        portal._process.BeginOutputReadLine();
        portal._process.BeginErrorReadLine();
        try
        {
            await portal._listening.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            await portal.DisposeAsync();
            throw new TimeoutException($"The portal did not listen within {timeout.TotalSeconds} s:{Environment.NewLine}{portal.Log}");
        }

        return portal;
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
        const string marker = "Now listening on: ";
        var at = line.IndexOf(marker, StringComparison.Ordinal);
        if (at >= 0)
            _listening.TrySetResult(new Uri(line[(at + marker.Length)..].Trim()));
    }
}
