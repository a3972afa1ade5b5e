using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

/// <summary>
/// Answers each connection to the Unix socket named by GC_PROBE_SOCKET with the process's memory after a full,
/// compacting, blocking collection: "rssBytes managedBytes heapSizeBytes cpuMilliseconds". The benchmark asks before
/// and after opening circuits; nothing else in the server changes.
/// </summary>
internal static class StartupHook
{
    public static void Initialize()
    {
        var path = Environment.GetEnvironmentVariable("GC_PROBE_SOCKET");
        if (string.IsNullOrEmpty(path))
            return;
        new Thread(() => Serve(path)) { IsBackground = true, Name = "gc-probe" }.Start();
    }

    private static void Serve(string path)
    {
        File.Delete(path);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(4);
        while (true)
        {
            using var client = listener.Accept();
            for (var i = 0; i < 2; i++)
            {
                GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
                GC.WaitForPendingFinalizers();
            }

            var managed = GC.GetTotalMemory(forceFullCollection: false);
            var heap = GC.GetGCMemoryInfo(GCKind.FullBlocking).HeapSizeBytes;
            var cpu = (long)Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
            var line = string.Create(CultureInfo.InvariantCulture, $"{Rss()} {managed} {heap} {cpu}\n");
            client.Send(Encoding.ASCII.GetBytes(line));
        }
    }

    private static long Rss()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }

        return 0;
    }
}
