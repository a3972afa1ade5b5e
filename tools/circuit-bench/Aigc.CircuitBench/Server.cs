using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Aigc.CircuitBench;

/// <summary>Memory after a full collection and CPU so far, as the GC probe inside the server reports them.</summary>
public sealed record Probe(long RssBytes, long ManagedBytes, long HeapBytes, long CpuMilliseconds);

/// <summary>A server under test (`dotnet X.dll`) with the GC probe loaded as a startup hook, on a free port.</summary>
public sealed class Server : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _socket;
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentQueue<string> _output = new();

    private Server(Process process, string socket)
    {
        _process = process;
        _socket = socket;
    }

    public Uri BaseAddress => _listening.Task.Result;

    public int Id => _process.Id;

    public static async Task<Server> StartAsync(string dll, string probe, IReadOnlyDictionary<string, string> environment)
    {
        var socket = Path.Combine(Path.GetTempPath(), $"gc-probe-{Guid.NewGuid():N}.sock");
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll },
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["DOTNET_STARTUP_HOOKS"] = probe;
        start.Environment["GC_PROBE_SOCKET"] = socket;
        foreach (var (key, value) in environment)
            start.Environment[key] = value;
        var server = new Server(new Process { StartInfo = start, EnableRaisingEvents = true }, socket);
        server._process.OutputDataReceived += (_, e) => server.Receive(e.Data);
        server._process.ErrorDataReceived += (_, e) => server.Receive(e.Data);
        server._process.Exited += (_, _) => server._listening.TrySetException(new InvalidOperationException(
            $"{dll} exited:{Environment.NewLine}{string.Join(Environment.NewLine, server._output)}"));
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        await server._listening.Task.WaitAsync(TimeSpan.FromSeconds(120));
        return server;
    }

    public async Task<Probe> ProbeAsync()
    {
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(_socket));
        using var reader = new StreamReader(new NetworkStream(client));
        var parts = (await reader.ReadLineAsync())!.Split(' ').Select(p => long.Parse(p, CultureInfo.InvariantCulture))
            .ToArray();
        return new Probe(parts[0], parts[1], parts[2], parts[3]);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        File.Delete(_socket);
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
