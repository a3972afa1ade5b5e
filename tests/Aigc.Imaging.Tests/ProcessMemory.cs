using System.Runtime;

namespace Aigc.Imaging.Tests;

/// <summary>The process's resident set after a full, compacting collection: what the leak tests compare.</summary>
internal static class ProcessMemory
{
    public static long Rss()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:"));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }
}
