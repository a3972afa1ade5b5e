using System.Collections.Concurrent;
using System.Diagnostics;

namespace Aigc.LoadTest;

/// <summary>The portal built next to this tool, started as its own process on a free loopback port.</summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<string> _output = new();

    private PortalProcess(Process process) => _process = process;

    public Uri BaseAddress => _listening.Task.Result;

    public int Id => _process.Id;

    /// <summary>CPU time the portal has used so far, all threads.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public string Log => string.Join(Environment.NewLine, _output);

    public static async Task<PortalProcess> StartAsync(string dataDirectory, string modelsDirectory, IReadOnlyDictionary<string, string> settings)
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
        start.Environment["Queue__ShippedModelsDirectory"] = modelsDirectory;
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
            await portal._listening.Task.WaitAsync(TimeSpan.FromSeconds(120));
        }
        catch (TimeoutException)
        {
            await portal.DisposeAsync();
            throw new TimeoutException($"The portal did not listen within 120 s:{Environment.NewLine}{portal.Log}");
        }

        return portal;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Receive(string? line)
    {
        if (line is null)
            return;
        _output.Enqueue(line);
        const string marker = "Now listening on: ";
        var at = line.IndexOf(marker, StringComparison.Ordinal);
        if (at >= 0)
            _listening.TrySetResult(new Uri(line[(at + marker.Length)..].Trim()));
    }
}
